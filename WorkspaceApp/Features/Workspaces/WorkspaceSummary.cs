namespace WorkspaceApp.Features.Workspaces;

/// <summary>What pages show about the signed-in user's workspace; PlanChangeReason says why the plan changed when the user did not change it.</summary>
public sealed record WorkspaceSummary(
    int Id, string Name, WorkspacePlan Plan, DateTime TrialEndsAtUtc, long BalanceMicros, WorkspaceRole Role, string? PlanChangeReason = null)
{
    public bool CanManage => Role is WorkspaceRole.Owner or WorkspaceRole.Admin;

    public int TrialDaysLeft(DateTime nowUtc) =>
        Math.Max(0, (int)Math.Ceiling((TrialEndsAtUtc - nowUtc).TotalDays));
}
