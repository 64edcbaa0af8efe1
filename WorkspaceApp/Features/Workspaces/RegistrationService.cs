using Microsoft.AspNetCore.Identity;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;

namespace WorkspaceApp.Features.Workspaces;

public sealed record RegistrationResult(AppUser? User, IReadOnlyList<string> Errors, bool EmailTaken = false)
{
    public bool Succeeded => User is not null;
    public static RegistrationResult Failed(params string[] errors) => new(null, errors);
}

/// <summary>Creates a user and their first workspace together: either both exist afterwards or neither does.</summary>
public sealed class RegistrationService(UserManager<AppUser> users, AppDbContext db, WorkspaceService workspaces)
{
    public async Task<RegistrationResult> RegisterAsync(
        string email, string password, string? workspaceName, WorkspacePlan plan = WorkspacePlan.Trial)
    {
        email = email.Trim();
        // No name given (ops, API) defaults from the email; a blank one typed into the form is an error.
        var name = workspaceName ?? WorkspaceRules.DefaultNameFor(email);
        if (WorkspaceRules.ValidateName(name) is { } nameError) return RegistrationResult.Failed(nameError);

        // UserManager shares this scoped context, so the user and the workspace commit in one transaction.
        await using var transaction = await db.Database.BeginTransactionAsync();
        var user = new AppUser { UserName = email, Email = email };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            // Identity checks (and hashes) the password before it looks for a duplicate: a weak password gets the same
            // errors whether the email is taken or not, and a taken email costs the same time as a new account.
            var taken = created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName));
            return new RegistrationResult(null, created.Errors.Select(e => e.Description).ToArray(), taken);
        }
        var workspace = workspaces.Add(db, name, user.Id, new Actor(user.Id, email), plan);
        await db.SaveChangesAsync();
        db.Record(workspace.Id, new Actor(user.Id, email), "workspace.created", $"Workspace \"{workspace.Name}\" created on {plan}");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return new RegistrationResult(user, []);
    }
}
