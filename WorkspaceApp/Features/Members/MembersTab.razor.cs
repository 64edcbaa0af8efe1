using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using WorkspaceApp.Components.Shared;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Members;

/// <summary>
/// Settings > Members: members and pending invitations. The buttons mirror the rules for the signed-in role;
/// the services decide, and a refusal (the rules, or access lost meanwhile) shows in a snackbar.
/// </summary>
public sealed partial class MembersTab
{
    [Inject] private MembersService Members { get; set; } = default!;
    [Inject] private InvitationService Invitations { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private MembersView? view;
    private string? me;
    private bool busy;

    protected override async Task LoadAsync(WorkspaceSummary workspace)
    {
        var user = await CurrentWorkspace.GetUserAsync();
        me = user.FindFirstValue(ClaimTypes.NameIdentifier);
        view = (await Members.ListAsync(user, workspace.Id)).Value ?? new MembersView([], []);
    }

    /// <summary>What the signed-in role may do to this member (the service checks again).</summary>
    private IEnumerable<(string Label, Func<Task> Act)> Actions(MemberRow member)
    {
        var role = Workspace!.Role;
        if (!Workspace.CanManage || member.UserId == me) yield break;
        if (member.Role == WorkspaceRole.Owner && role != WorkspaceRole.Owner) yield break;
        foreach (var target in new[] { WorkspaceRole.Owner, WorkspaceRole.Admin, WorkspaceRole.Member })
        {
            if (target == member.Role || (target == WorkspaceRole.Owner && role != WorkspaceRole.Owner)) continue;
            yield return ($"Make {target}", () => RunAsync(u => Members.ChangeRoleAsync(u, Workspace.Id, member.UserId, target), $"{member.Email} is now {target}."));
        }
        if (role == WorkspaceRole.Owner && member.Role != WorkspaceRole.Owner)
        {
            yield return ("Transfer ownership", () => ConfirmAsync("Transfer ownership",
                $"{member.Email} becomes an owner of {Workspace.Name} and you become an admin.", "Transfer",
                u => Members.TransferOwnershipAsync(u, Workspace.Id, member.UserId), "Ownership transferred."));
        }
        yield return ("Remove", () => ConfirmAsync("Remove member",
            $"{member.Email} loses access to {Workspace.Name} at once, also on pages they have open.", "Remove",
            u => Members.RemoveAsync(u, Workspace.Id, member.UserId), $"{member.Email} removed."));
    }

    private async Task InviteAsync()
    {
        if (busy || Workspace is null) return;
        var parameters = new DialogParameters<InviteDialog> { { d => d.WorkspaceId, Workspace.Id }, { d => d.CanInviteOwner, Workspace.Role == WorkspaceRole.Owner } };
        var dialog = await Dialogs.ShowAsync<InviteDialog>("Invite member", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: InvitationRow invitation })
        {
            Snackbar.Add($"Invitation sent to {invitation.Email}.", Severity.Success);
            await ReloadAsync();
        }
    }

    private Task ResendAsync(InvitationRow invitation) =>
        RunAsync(u => Invitations.ResendAsync(u, Workspace!.Id, invitation.Id), $"A new link was sent to {invitation.Email}; the previous one no longer works.");

    private Task RevokeAsync(InvitationRow invitation) => ConfirmAsync("Revoke invitation",
        $"The link sent to {invitation.Email} stops working.", "Revoke", u => Invitations.RevokeAsync(u, Workspace!.Id, invitation.Id), "Invitation revoked.");

    private Task LeaveAsync() => ConfirmAsync("Leave workspace",
        $"You lose access to {Workspace!.Name}. Someone has to invite you again to come back.", "Leave",
        async u =>
        {
            var result = await Members.LeaveAsync(u, Workspace.Id);
            // The page belongs to a workspace the user no longer has: start again in their next one.
            if (result.Succeeded) Navigation.NavigateTo("", forceLoad: true);
            return result;
        }, "You left the workspace.");

    private async Task ConfirmAsync<T>(string title, string text, string confirm, Func<ClaimsPrincipal, Task<WorkspaceResult<T>>> act, string done)
    {
        if (busy || !await ConfirmDialog.AskAsync(Dialogs, title, text, confirm)) return;
        await RunAsync(act, done);
    }

    /// <summary>Runs one action at a time; the list reloads whatever the outcome.</summary>
    private async Task RunAsync<T>(Func<ClaimsPrincipal, Task<WorkspaceResult<T>>> act, string done)
    {
        if (busy) return;
        busy = true;
        try
        {
            var result = await act(await CurrentWorkspace.GetUserAsync());
            Snackbar.Add(result.Error ?? done, result.Succeeded ? Severity.Success : Severity.Error);
            await ReloadAsync();
        }
        finally
        {
            busy = false;
        }
    }

    private static string When(DateTime utc) => utc.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
