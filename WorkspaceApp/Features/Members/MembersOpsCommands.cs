using Microsoft.AspNetCore.Identity;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Ops;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Members;

internal sealed class AddMemberCommand(AppDbContext db, UserManager<AppUser> users, MembersService members) : IOpsCommand
{
    public string Name => "members add";
    public string Usage => "--workspace ID|NAME --email EMAIL [--role owner|admin|member] [--password P]";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var workspace = await WorkspaceOps.FindAsync(db, args.Required("workspace"), ct);
        var role = MemberOps.ParseRole(args.Optional("role") ?? "member");
        var email = args.Required("email").Trim();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            // A new account without a workspace of its own: it joins this one.
            var password = args.Optional("password") ?? CreateWorkspaceCommand.GeneratePassword();
            user = new AppUser { UserName = email, Email = email };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded) throw new OpsException(string.Join(" ", created.Errors.Select(e => e.Description)));
            await output.WriteLineAsync($"user created: {email}");
            if (args.Optional("password") is null) await output.WriteLineAsync($"password: {password}");
        }
        MemberOps.Check(await members.AddAsync(Actor.OperatorPrincipal, workspace.Id, user.Id, role, ct));
        await output.WriteLineAsync($"workspace: {workspace.Id}");
        await output.WriteLineAsync($"member: {email}");
        await output.WriteLineAsync($"role: {role.ToString().ToLowerInvariant()}");
        return 0;
    }
}

internal sealed class ListMembersCommand(AppDbContext db, MembersService members) : IOpsCommand
{
    public string Name => "members list";
    public string Usage => "--workspace ID|NAME";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var workspace = await WorkspaceOps.FindAsync(db, args.Required("workspace"), ct);
        var view = MemberOps.Check(await members.ListAsync(Actor.OperatorPrincipal, workspace.Id, ct));
        foreach (var m in view.Members)
        {
            await output.WriteLineAsync($"{m.Email}\t{m.Role.ToString().ToLowerInvariant()}\tjoined={m.JoinedAtUtc:u}");
        }
        foreach (var i in view.Invitations)
        {
            await output.WriteLineAsync($"{i.Email}\t{i.Role.ToString().ToLowerInvariant()}\tinvited by {i.InvitedByName}\t{(i.IsExpired ? "expired" : "expires")}={i.ExpiresAtUtc:u}");
        }
        return 0;
    }
}

internal sealed class RemoveMemberCommand(AppDbContext db, UserManager<AppUser> users, MembersService members) : IOpsCommand
{
    public string Name => "members remove";
    public string Usage => "--workspace ID|NAME --email EMAIL";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var (workspace, user) = await MemberOps.FindAsync(db, users, args, ct);
        MemberOps.Check(await members.RemoveAsync(Actor.OperatorPrincipal, workspace.Id, user.Id, ct));
        await output.WriteLineAsync($"workspace: {workspace.Id}");
        await output.WriteLineAsync($"removed: {user.Email}");
        return 0;
    }
}

internal sealed class SetMemberRoleCommand(AppDbContext db, UserManager<AppUser> users, MembersService members) : IOpsCommand
{
    public string Name => "members role";
    public string Usage => "--workspace ID|NAME --email EMAIL --role owner|admin|member";

    public async Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct)
    {
        var (workspace, user) = await MemberOps.FindAsync(db, users, args, ct);
        var role = MemberOps.ParseRole(args.Required("role"));
        MemberOps.Check(await members.ChangeRoleAsync(Actor.OperatorPrincipal, workspace.Id, user.Id, role, ct));
        await output.WriteLineAsync($"workspace: {workspace.Id}");
        await output.WriteLineAsync($"member: {user.Email}");
        await output.WriteLineAsync($"role: {role.ToString().ToLowerInvariant()}");
        return 0;
    }
}

internal static class MemberOps
{
    public static WorkspaceRole ParseRole(string value) =>
        Enum.TryParse<WorkspaceRole>(value.Trim(), ignoreCase: true, out var role) && Enum.IsDefined(role) && !int.TryParse(value, out _)
            ? role
            : throw new OpsException($"Unknown role '{value}': use owner, admin or member.");

    public static T Check<T>(WorkspaceResult<T> result) => result.Succeeded ? result.Value! : throw new OpsException(result.Error!);

    public static async Task<(Workspace, AppUser)> FindAsync(AppDbContext db, UserManager<AppUser> users, OpsArgs args, CancellationToken ct)
    {
        var workspace = await WorkspaceOps.FindAsync(db, args.Required("workspace"), ct);
        var email = args.Required("email").Trim();
        var user = await users.FindByEmailAsync(email) ?? throw new OpsException($"No account with the email {email}.");
        return (workspace, user);
    }
}
