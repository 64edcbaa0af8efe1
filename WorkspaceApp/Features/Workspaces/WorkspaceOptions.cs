namespace WorkspaceApp.Features.Workspaces;

public sealed class WorkspaceOptions
{
    public const string Section = "Workspaces";
    public int TrialDays { get; set; } = 14;
}
