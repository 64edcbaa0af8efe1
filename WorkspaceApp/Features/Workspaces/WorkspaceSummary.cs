namespace WorkspaceApp.Features.Workspaces;

/// <summary>What pages show about the signed-in user's workspace.</summary>
public sealed record WorkspaceSummary(
    int Id, string Name, WorkspacePlan Plan, DateTime TrialEndsAtUtc, long BalanceMicros, WorkspaceRole Role)
{
    public bool CanManage => Role is WorkspaceRole.Owner or WorkspaceRole.Admin;

    public int TrialDaysLeft(DateTime nowUtc) =>
        Math.Max(0, (int)Math.Ceiling((TrialEndsAtUtc - nowUtc).TotalDays));
}
