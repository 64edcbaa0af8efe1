using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Members;

/// <summary>A row of the members list.</summary>
public sealed record MemberRow(string UserId, string Email, WorkspaceRole Role, DateTime JoinedAtUtc);

/// <summary>A pending invitation (not accepted, not revoked); an expired one can still be resent.</summary>
public sealed record InvitationRow(int Id, string Email, WorkspaceRole Role, string InvitedByName, DateTime CreatedAtUtc, DateTime ExpiresAtUtc, bool IsExpired);

/// <summary>Everything the Members tab shows.</summary>
public sealed record MembersView(IReadOnlyList<MemberRow> Members, IReadOnlyList<InvitationRow> Invitations);

public enum InvitationState
{
    Valid,
    NotFound,
    Expired,
    Revoked,
    Accepted,
}

/// <summary>What the accept page shows about a link, before anyone acts on it.</summary>
public sealed record InvitationInfo(InvitationState State, string? WorkspaceName = null, string? Email = null, WorkspaceRole Role = WorkspaceRole.Member)
{
    public static readonly InvitationInfo NotFound = new(InvitationState.NotFound);

    /// <summary>Why the link cannot be used, or null while it can.</summary>
    public string? Problem => State switch
    {
        InvitationState.Valid => null,
        InvitationState.Expired => "This invitation has expired. Ask the person who invited you to send a new one.",
        InvitationState.Revoked => "This invitation was withdrawn (or replaced by a newer email). Use the link in the latest invitation, or ask for a new one.",
        InvitationState.Accepted => "This invitation has already been used. Log in to reach the workspace.",
        _ => "This invitation link is not valid. Check that you copied the whole link.",
    };
}

public sealed class MembersOptions
{
    public const string Section = "Members";

    [System.ComponentModel.DataAnnotations.Range(1, 365, ErrorMessage = "Members:InvitationLifetimeDays must be between 1 and 365 days.")]
    public int InvitationLifetimeDays { get; set; } = 7;
}

/// <summary>The messages the members rules answer with, shared by the services, the tab and the tests.</summary>
public static class MembersMessages
{
    public const string NotAllowed = "Only workspace owners and admins can manage members and invitations.";
    public const string OnlyOwner = "Only an owner can invite owners, make someone an owner, or change or remove an owner.";
    public const string LastOwner = "A workspace needs at least one owner: make someone else an owner first.";
    public const string NotAMember = "This person is not a member of this workspace.";
    public const string NoSuchInvitation = "This invitation is no longer pending.";
    public const string WrongAccount = "This invitation is for another email address than the account you are signed in with.";
}
