namespace WorkspaceApp.Features.Ops;

/// <summary>One operator command, such as "workspace create". Features register theirs with AddOpsCommand.</summary>
public interface IOpsCommand
{
    /// <summary>The words that select the command, for example "workspace create".</summary>
    string Name { get; }

    /// <summary>The options, for the help text, for example "--name N --owner EMAIL".</summary>
    string Usage { get; }

    /// <summary>Writes one fact per line to <paramref name="output"/>; returns the exit code.</summary>
    Task<int> RunAsync(OpsArgs args, TextWriter output, CancellationToken ct);
}

/// <summary>A failure the operator can fix (unknown workspace, bad value): printed to stderr, exit code 1.</summary>
public sealed class OpsException(string message) : Exception(message);
