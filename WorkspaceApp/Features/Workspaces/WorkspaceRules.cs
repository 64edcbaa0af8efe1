namespace WorkspaceApp.Features.Workspaces;

/// <summary>Input rules shared by registration, the ops command line and the services.</summary>
public static class WorkspaceRules
{
    public const int MaxNameLength = 80;

    public static string? ValidateName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return "Workspace name is required.";
        if (trimmed.Length > MaxNameLength) return $"Workspace name must be at most {MaxNameLength} characters.";
        return null;
    }

    /// <summary>"jane.doe@example.com" becomes "jane.doe's workspace".</summary>
    public static string DefaultNameFor(string email)
    {
        var local = email.Split('@')[0].Trim();
        return string.IsNullOrEmpty(local) ? "My workspace" : $"{local}'s workspace";
    }
}
