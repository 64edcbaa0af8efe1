namespace WorkspaceApp.Features.Api.Metering;

/// <summary>
/// One change queued for the <see cref="MeterWriter"/>. It is applied inside the writer's batch transaction and its
/// caller's task completes only after that transaction committed, so an answered request is a durable one.
/// </summary>
public abstract class MeterOp
{
    /// <summary>The workspace whose open pages should refresh after the commit, or null.</summary>
    public abstract int? WorkspaceId { get; }

    internal abstract Task ApplyAsync(MeterSql sql, DateTime nowUtc);
    internal abstract void Complete();
    internal abstract void Fail(Exception error);
}

public abstract class MeterOp<TResult> : MeterOp
{
    private readonly TaskCompletionSource<TResult> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected TResult Result { get; set; } = default!;

    public Task<TResult> Completion => completion.Task;

    internal override void Complete() => completion.TrySetResult(Result);
    internal override void Fail(Exception error) => completion.TrySetException(error);
}

/// <summary>What a settled or released request leaves behind in the usage records.</summary>
public sealed record UsageEntry(int WorkspaceId, int ApiKeyId, string Model, int InputTokens, int OutputTokens, string Status);
