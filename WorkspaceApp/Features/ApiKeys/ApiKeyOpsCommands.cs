using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Ops;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.ApiKeys;

internal sealed class CreateKeyCommand(AppDbContext db, ApiKeyService keys, TimeProvider clock) : IOpsCommand
{
    public string Name => "keys create";
    public string Usage => "--workspace ID|NAME --name NAME " + KeyOps.LimitUsage;

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var workspace = await WorkspaceOps.FindAsync(db, args.Required("workspace"), ct);
        var limits = KeyOps.Limits(args, ApiKeyLimits.None, clock);
        var result = await keys.GenerateAsync(Actor.OperatorPrincipal, workspace.Id, args.Required("name"), limits, ct);
        var key = result.Value ?? throw new OpsException(result.Error!);
        await output.WriteLineAsync($"workspace: {workspace.Id}");
        await output.WriteLineAsync($"name: {key.Name}");
        await output.WriteLineAsync($"hint: {key.Hint}");
        // The only time the key is printed: automation reads it from this line.
        await output.WriteLineAsync($"key: {key.Plaintext}");
        return 0;
    }
}

internal sealed class ListKeysCommand(AppDbContext db, ApiKeyService keys) : IOpsCommand
{
    public string Name => "keys list";
    public string Usage => "--workspace ID|NAME";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var (workspace, rows) = await KeyOps.ListAsync(db, keys, args, ct);
        foreach (var k in rows)
        {
            var lastUsed = k.LastUsedAtUtc?.ToString("u") ?? "never";
            await output.WriteLineAsync($"{k.Id}\t{k.Name}\t{k.Hint}\t{k.Status.ToString().ToLowerInvariant()}\tcreated={k.CreatedAtUtc:u} by {k.CreatedByName}\tlast-used={lastUsed}\t{KeyOps.Describe(k.Limits ?? ApiKeyLimits.None)}");
        }
        if (rows.Count == 0) await output.WriteLineAsync("no keys");
        return 0;
    }
}

internal sealed class RevokeKeyCommand(AppDbContext db, ApiKeyService keys) : IOpsCommand
{
    public string Name => "keys revoke";
    public string Usage => "--workspace ID|NAME --name NAME";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var (workspace, active) = await KeyOps.ActiveKeyAsync(db, keys, args, ct);
        var result = await keys.RevokeAsync(Actor.OperatorPrincipal, workspace.Id, active.Id, ct);
        if (!result.Succeeded) throw new OpsException(result.Error!);
        await output.WriteLineAsync($"revoked: {active.Name} ({active.Hint})");
        return 0;
    }
}

/// <summary>Sets or clears an active key's spend limit and last day; options left out keep their current value.</summary>
internal sealed class KeyLimitsCommand(AppDbContext db, ApiKeyService keys, TimeProvider clock) : IOpsCommand
{
    public string Name => "keys limits";
    public string Usage => "--workspace ID|NAME --name NAME " + KeyOps.LimitUsage;

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var (workspace, active) = await KeyOps.ActiveKeyAsync(db, keys, args, ct);
        var limits = KeyOps.Limits(args, active.Limits ?? ApiKeyLimits.None, clock);
        var result = await keys.UpdateLimitsAsync(Actor.OperatorPrincipal, workspace.Id, active.Id, limits, ct);
        if (!result.Succeeded) throw new OpsException(result.Error!);
        await output.WriteLineAsync($"limits: {active.Name} ({active.Hint}): {KeyOps.Describe(limits)}");
        return 0;
    }
}

file static class KeyOps
{
    public const string LimitUsage = "[--limit CREDITS --per day|month|total | --limit none] [--last-day YYYY-MM-DD|none]";

    /// <summary>
    /// <paramref name="current"/> changed by --limit/--per and --last-day, checked by the same rules and messages as the
    /// dialogs (a last day is the last UTC day the key works).
    /// </summary>
    public static ApiKeyLimits Limits(OpsArgs args, ApiKeyLimits current, TimeProvider clock)
    {
        var form = KeyLimitForm.From(current);
        if (args.Optional("limit") is { } limit)
        {
            if (limit.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                form.Period = ApiKeyLimitPeriod.None;
            }
            else
            {
                form.Credits = args.RequiredDecimal("limit");
                form.Period = args.Optional("per")?.Trim().ToLowerInvariant() switch
                {
                    "day" => ApiKeyLimitPeriod.Day,
                    "month" => ApiKeyLimitPeriod.Month,
                    "total" => ApiKeyLimitPeriod.Total,
                    _ => throw new OpsException("Option --limit needs --per day, month or total."),
                };
            }
        }
        else if (args.Optional("per") is not null)
        {
            throw new OpsException("Option --per needs --limit CREDITS.");
        }
        if (args.Optional("last-day") is { } lastDay) form.LastDay = lastDay.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : lastDay;
        return form.Build(clock.GetUtcNow().UtcDateTime) ?? throw new OpsException(form.LimitError ?? form.ExpiryError!);
    }

    public static string Describe(ApiKeyLimits limits) =>
        (limits.LimitMicros is { } micros ? $"{Billing.Money.Format(micros)} credits {KeyLimitRules.Describe(limits.Period)}" : "no spend limit") +
        (limits.ExpiresAtUtc is { } expires ? $", expires {expires:u}" : ", no expiry");

    /// <summary>The workspace named by --workspace and all its keys (the operator may see every workspace).</summary>
    /// <summary>The workspace named by --workspace and its active key named by --name.</summary>
    public static async Task<(Workspace Workspace, ApiKeyRow Key)> ActiveKeyAsync(AppDbContext db, ApiKeyService keys, OpsArgs args, CancellationToken ct)
    {
        var (workspace, rows) = await ListAsync(db, keys, args, ct);
        var name = args.Required("name").Trim();
        return (workspace, rows.SingleOrDefault(k => k.IsActive && k.Name == name)
            ?? throw new OpsException($"No active key named '{name}' in workspace {workspace.Id}."));
    }

    public static async Task<(Workspace Workspace, IReadOnlyList<ApiKeyRow> Keys)> ListAsync(AppDbContext db, ApiKeyService keys, OpsArgs args, CancellationToken ct)
    {
        var workspace = await WorkspaceOps.FindAsync(db, args.Required("workspace"), ct);
        return (workspace, (await keys.ListAsync(Actor.OperatorPrincipal, workspace.Id, ct)).Value!);
    }
}
