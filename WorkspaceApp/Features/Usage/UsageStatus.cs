namespace WorkspaceApp.Features.Usage;

/// <summary>How the Usage page counts a record's status (see <see cref="UsageRecord.Status"/>).</summary>
public static class UsageStatus
{
    // Served and charged: a stream cut short is charged for what it produced, so it counts as served.
    public const string Succeeded = "succeeded";
    public const string ClientAborted = "client_aborted";
    public const string UpstreamInterrupted = "upstream_interrupted";

    /// <summary>The model failed: nothing charged.</summary>
    public const string Failed = "upstream_failed";

    // Everything else is a refusal (not enough credits, no credits bought, a key limit): nothing ran.
}
