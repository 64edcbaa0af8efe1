namespace WorkspaceApp.Features.Api.Metering;

/// <summary>
/// One change queued for the <see cref="MeterWriter"/>. It is applied inside the writer's batch transaction and its
/// caller's task completes only after that transaction committed, so an answered request is a durable one.
/// </summary>
public abstract class MeterOp
{
    /// <summary>The workspace whose open pages should refresh after the commit, or null.</summary>
    public abstract int? WorkspaceId { get; }

    /// <summary>
    /// The hold this operation carries (to settle or release it, or one it created), or null. When the operation
    /// fails for good its request is answered with an error, so the writer gives these credits back (deleting a hold
    /// that was rolled back changes nothing: hold ids are never reused, AUTOINCREMENT on SQLite, identity on PostgreSQL).
    /// </summary>
    internal virtual HeldCredits? Held => null;

    /// <summary>
    /// False when losing this operation to a power cut costs nothing (a hold: see <see cref="HoldOp"/>), so that a batch
    /// of only such operations commits without waiting for the disk. One durable operation makes its batch durable.
    /// </summary>
    internal virtual bool MustBeDurable => true;

    /// <summary>Whether a batch must reach the disk before its callers are answered.</summary>
    internal static bool AnyMustBeDurable(IReadOnlyList<MeterOp> ops)
    {
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i].MustBeDurable) return true;
        }
        return false;
    }

    internal abstract Task ApplyAsync(MeterSql sql, DateTime nowUtc);

    /// <summary>
    /// The operation as one statement, for databases that take a whole batch of statements in one round trip
    /// (PostgreSQL), or null to apply it with <see cref="ApplyAsync"/>. Its effect must equal ApplyAsync's.
    /// </summary>
    internal virtual OneStatement? AsOneStatement(DateTime nowUtc, string instanceId) => null;
    internal abstract void Complete();
    /// <summary>False when the operation was answered already.</summary>
    internal abstract bool Fail(Exception error);
}

public abstract class MeterOp<TResult> : MeterOp
{
    private readonly TaskCompletionSource<TResult> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected TResult Result { get; set; } = default!;

    /// <summary>Amounts come from prices and token counts: a negative one would mint credits, so it never gets in.</summary>
    protected static long NotNegative(long value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        return value;
    }

    public Task<TResult> Completion => completion.Task;

    internal override void Complete() => completion.TrySetResult(Result);
    internal override bool Fail(Exception error) => completion.TrySetException(error);
}

/// <summary>
/// A statement of a batch and what to do with its first row (null: no row) once the batch has run; the finish may run
/// further statements (a rare case the single statement did not cover).
/// </summary>
internal sealed record OneStatement(string Sql, object?[] Values, Func<object?[]?, MeterSql, DateTime, Task> FinishAsync);

/// <summary>What a settled or released request leaves behind in the usage records.</summary>
public sealed record UsageEntry(int WorkspaceId, int ApiKeyId, string Model, int InputTokens, int OutputTokens, string Status);

/// <summary>Credits a hold sets aside: its row in CreditHolds and its share of the workspace's HeldMicros.</summary>
internal sealed record HeldCredits(long HoldId, int WorkspaceId, long AmountMicros);
