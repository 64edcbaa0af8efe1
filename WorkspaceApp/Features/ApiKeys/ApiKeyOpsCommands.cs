using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Ops;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.ApiKeys;

internal sealed class CreateKeyCommand(AppDbContext db, ApiKeyService keys) : IOpsCommand
{
    public string Name => "keys create";
    public string Usage => "--workspace ID|NAME --name NAME";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var workspace = await WorkspaceOps.FindAsync(db, args.Required("workspace"), ct);
        var result = await keys.GenerateAsync(Actor.OperatorPrincipal, workspace.Id, args.Required("name"), ct: ct);
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
            await output.WriteLineAsync($"{k.Id}\t{k.Name}\t{k.Hint}\t{k.Status.ToString().ToLowerInvariant()}\tcreated={k.CreatedAtUtc:u} by {k.CreatedByName}\tlast-used={lastUsed}");
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
        var (workspace, rows) = await KeyOps.ListAsync(db, keys, args, ct);
        var name = args.Required("name").Trim();
        var active = rows.SingleOrDefault(k => k.IsActive && k.Name == name)
            ?? throw new OpsException($"No active key named '{name}' in workspace {workspace.Id}.");
        var result = await keys.RevokeAsync(Actor.OperatorPrincipal, workspace.Id, active.Id, ct);
        if (!result.Succeeded) throw new OpsException(result.Error!);
        await output.WriteLineAsync($"revoked: {active.Name} ({active.Hint})");
        return 0;
    }
}

file static class KeyOps
{
    /// <summary>The workspace named by --workspace and all its keys (the operator may see every workspace).</summary>
    public static async Task<(Workspace Workspace, IReadOnlyList<ApiKeyRow> Keys)> ListAsync(AppDbContext db, ApiKeyService keys, OpsArgs args, CancellationToken ct)
    {
        var workspace = await WorkspaceOps.FindAsync(db, args.Required("workspace"), ct);
        return (workspace, (await keys.ListAsync(Actor.OperatorPrincipal, workspace.Id, ct)).Value!);
    }
}
