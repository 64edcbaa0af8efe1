using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Ops;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

internal sealed class GrantCreditsCommand(AppDbContext db, LedgerService ledger) : IOpsCommand
{
    public string Name => "credits grant";
    public string Usage => "--workspace ID|NAME --credits X --reason TEXT   (X may be negative; the balance never goes below zero)";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var workspace = await WorkspaceOps.FindAsync(db, args.Required("workspace"), ct);
        var text = args.Required("credits");
        if (!Money.TryParseCredits(text, out var micros) || micros == 0)
            throw new OpsException($"--credits must be a non-zero number of credits (up to six decimals), got '{text}'.");
        var reason = args.Required("reason").Trim();
        if (reason.Length == 0) throw new OpsException("--reason must not be blank.");

        var result = await ledger.PostAsync(workspace.Id, LedgerEntryKind.Adjustment, micros, $"Adjustment: {reason}", Actor.From(Actor.OperatorPrincipal), ct: ct);
        if (!result.Succeeded) throw new OpsException(result.Error!);
        await output.WriteLineAsync($"workspace: {workspace.Id}");
        await output.WriteLineAsync($"{(micros > 0 ? "granted" : "removed")}: {Money.Format(Math.Abs(micros))}");
        await output.WriteLineAsync($"balance: {Money.Format(result.BalanceMicros)}");
        return 0;
    }
}

internal sealed class CreditBalanceCommand(AppDbContext db) : IOpsCommand
{
    public string Name => "credits balance";
    public string Usage => "--workspace ID|NAME";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var workspace = await WorkspaceOps.FindAsync(db, args.Required("workspace"), ct);
        var entries = await db.LedgerEntries.CountAsync(e => e.WorkspaceId == workspace.Id, ct);
        await output.WriteLineAsync($"workspace: {workspace.Id}");
        await output.WriteLineAsync($"balance: {Money.Format(workspace.BalanceMicros)}");
        await output.WriteLineAsync($"entries: {entries}");
        return 0;
    }
}

internal sealed class VerifyLedgerCommand(LedgerService ledger) : IOpsCommand
{
    public string Name => "ledger verify";
    public string Usage => "";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var result = await ledger.VerifyAsync(ct);
        if (result.Ok)
        {
            await output.WriteLineAsync($"ledger ok: {result.Workspaces} workspaces, {result.Entries} entries");
            return 0;
        }
        foreach (var problem in result.Problems) await output.WriteLineAsync(problem);
        await output.WriteLineAsync($"ledger broken: {result.Problems.Count} problems in {result.Workspaces} workspaces, {result.Entries} entries");
        return 1;
    }
}
