namespace WorkspaceApp.Features.Workspaces;

/// <summary>The outcome of a workspace or members action: a value, or a message the user can read.</summary>
public sealed record WorkspaceResult<T>(T? Value, string? Error)
{
    public bool Succeeded => Error is null;
}

public static class WorkspaceResult
{
    public static WorkspaceResult<T> Ok<T>(T value) => new(value, null);
    public static WorkspaceResult<T> Fail<T>(string error) => new(default, error);
}
