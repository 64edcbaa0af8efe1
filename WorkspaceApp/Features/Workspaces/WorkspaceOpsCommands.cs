using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using System.Security.Cryptography;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Ops;

namespace WorkspaceApp.Features.Workspaces;

internal sealed class CreateWorkspaceCommand(
    UserManager<AppUser> users, AppDbContext db, RegistrationService registration, WorkspaceService workspaces) : IOpsCommand
{
    public string Name => "workspace create";
    public string Usage => "--name N --owner EMAIL [--password P] [--plan trial|pro]";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var name = args.Required("name").Trim();
        var email = args.Required("owner").Trim();
        var plan = WorkspaceOps.ParsePlan(args.Optional("plan") ?? "trial");
        if (WorkspaceRules.ValidateName(name) is { } nameError) throw new OpsException(nameError);

        Workspace workspace;
        var owner = await users.FindByEmailAsync(email);
        if (owner is null)
        {
            var password = args.Optional("password") ?? GeneratePassword();
            var result = await registration.RegisterAsync(email, password, name, plan);
            if (!result.Succeeded) throw new OpsException(string.Join(" ", result.Errors));
            owner = result.User!;
            workspace = await db.Workspaces.OrderByDescending(w => w.Id).FirstAsync(w => w.Members.Any(m => m.UserId == owner.Id), ct);
            await output.WriteLineAsync($"user created: {email}");
            if (args.Optional("password") is null) await output.WriteLineAsync($"password: {password}");
        }
        else
        {
            workspace = workspaces.Add(db, name, owner.Id, Actor.From(Actor.OperatorPrincipal), plan);
            await db.SaveChangesAsync(ct);
            db.Record(workspace.Id, Actor.From(Actor.OperatorPrincipal), "workspace.created", $"Workspace \"{name}\" created on {plan} for {email}");
            await db.SaveChangesAsync(ct);
        }
        await output.WriteLineAsync($"workspace created: {workspace.Id}");
        await output.WriteLineAsync($"name: {workspace.Name}");
        await output.WriteLineAsync($"owner: {email}");
        await output.WriteLineAsync($"plan: {workspace.Plan.ToString().ToLowerInvariant()}");
        return 0;
    }

    // Readable, and meets the password rules: mixed case, digits and a symbol.
    internal static string GeneratePassword() => $"Ws-{RandomNumberGenerator.GetHexString(16)}-a1";
}

internal sealed class ListWorkspacesCommand(AppDbContext db) : IOpsCommand
{
    public string Name => "workspace list";
    public string Usage => "";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var rows = await db.Workspaces.OrderBy(w => w.Id)
            .Select(w => new { w.Id, w.Name, w.Plan, w.BalanceMicros, Owner = w.Members.Where(m => m.Role == WorkspaceRole.Owner).Select(m => m.User.Email).FirstOrDefault() })
            .ToListAsync(ct);
        foreach (var w in rows)
        {
            await output.WriteLineAsync($"{w.Id}\t{w.Name}\t{w.Plan.ToString().ToLowerInvariant()}\towner={w.Owner}\tbalance={Money.Format(w.BalanceMicros)}");
        }
        if (rows.Count == 0) await output.WriteLineAsync("no workspaces");
        return 0;
    }
}

internal sealed class SetPlanCommand(AppDbContext db, WorkspaceService workspaces) : IOpsCommand
{
    public string Name => "plan set";
    public string Usage => "--workspace ID|NAME --plan trial|pro";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var workspace = await WorkspaceOps.FindAsync(db, args.Required("workspace"), ct);
        var plan = WorkspaceOps.ParsePlan(args.Required("plan"));
        await workspaces.SetPlanAsync(workspace.Id, plan, Actor.From(Actor.OperatorPrincipal), ct);
        await output.WriteLineAsync($"workspace: {workspace.Id}");
        await output.WriteLineAsync($"plan: {plan.ToString().ToLowerInvariant()}");
        return 0;
    }
}

/// <summary>Helpers every feature's ops commands share.</summary>
public static class WorkspaceOps
{
    /// <summary>Finds a workspace by id, or by name when the name is unambiguous.</summary>
    public static async Task<Workspace> FindAsync(AppDbContext db, string idOrName, CancellationToken ct)
    {
        if (int.TryParse(idOrName, out var id))
        {
            return await db.Workspaces.SingleOrDefaultAsync(w => w.Id == id, ct)
                ?? throw new OpsException($"No workspace with id {id}.");
        }
        var matches = await db.Workspaces.Where(w => w.Name == idOrName).ToListAsync(ct);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new OpsException($"No workspace named '{idOrName}'."),
            _ => throw new OpsException($"Several workspaces are named '{idOrName}' (ids {string.Join(", ", matches.Select(w => w.Id))}); pass the id."),
        };
    }

    public static WorkspacePlan ParsePlan(string value) => value.Trim().ToLowerInvariant() switch
    {
        "trial" => WorkspacePlan.Trial,
        "pro" => WorkspacePlan.Pro,
        _ => throw new OpsException($"Unknown plan '{value}': use trial or pro."),
    };
}
