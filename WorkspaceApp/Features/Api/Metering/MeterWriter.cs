using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Api.Metering;

/// <summary>
/// Group commit for the API's credit writes. Requests queue their holds and settlements; one writer applies
/// everything waiting as one transaction (each statement still conditional, so admission is exact) and then
/// answers them all. One commit, one fsync, for a whole batch instead of one per request.
/// Faults stay small: a refused statement fails only its own operation (the batch is applied again one by one),
/// a lost connection is replaced, and while the database is unreachable operations fail with
/// <see cref="MeterUnavailableException"/> and the holds of failed requests are given back once it is reachable.
/// </summary>
public sealed class MeterWriter(
    IDbContextFactory<AppDbContext> dbFactory,
    WorkspaceChangeNotifier notifier,
    AppInstanceIdentity instance,
    IOptions<ApiOptions> options,
    TimeProvider clock,
    ILogger<MeterWriter> logger) : BackgroundService
{
    private readonly Channel<MeterOp> queue = Channel.CreateBounded<MeterOp>(
        new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly MeterConnection connection = new(dbFactory, instance.Id, clock, logger);
    private readonly List<HeldCredits> orphanedHolds = []; // only the writer loop touches it

    /// <summary>The writer runs and its last attempt to reach the database succeeded (for /healthz).</summary>
    public bool IsHealthy => connection.Reachable && ExecuteTask is { IsCompleted: false };

    /// <summary>Queues <paramref name="op"/> and waits until its batch has committed.</summary>
    public async Task<TResult> RunAsync<TResult>(MeterOp<TResult> op, CancellationToken ct = default)
    {
        await queue.Writer.WriteAsync(op, ct);
        return await op.Completion;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var maxBatch = Math.Max(1, options.Value.MeterBatchSize);
        var batch = new List<MeterOp>(maxBatch);

        // Runs until the queue is completed at shutdown, so nothing queued is left unanswered; no fault ends it.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < maxBatch && queue.Reader.TryRead(out var op)) batch.Add(op);
            try
            {
                await ReleaseOrphanedHoldsAsync();
                await CommitAsync(batch);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The credit meter failed a batch of {Count} operations", batch.Count);
                foreach (var op in batch) Fail(op, ex);
            }
            batch.Clear();
        }
        await connection.DisposeAsync();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task CommitAsync(List<MeterOp> batch)
    {
        var error = await connection.TryCommitAsync(batch);
        if (error is null)
        {
            Completed(batch);
            return;
        }
        if (batch.Count == 1 || error is MeterUnavailableException)
        {
            foreach (var op in batch) Fail(op, error);
            return;
        }

        // One statement was refused and took the whole batch with it: each operation alone, so only that one fails.
        logger.LogWarning(error, "A credit meter batch of {Count} operations failed; applying them one by one", batch.Count);
        var committed = new List<MeterOp>(batch.Count);
        foreach (var op in batch)
        {
            // Once the database is out of reach, the rest fail with it rather than each waiting for a connection.
            if (error is not MeterUnavailableException) error = await connection.TryCommitAsync([op]);
            if (error is null) committed.Add(op);
            else Fail(op, error);
        }
        Completed(committed);
    }

    private async Task ReleaseOrphanedHoldsAsync()
    {
        if (orphanedHolds.Count == 0) return;
        var error = await connection.TryCommitAsync([new ReleaseHoldsOp([.. orphanedHolds])]);
        if (error is MeterUnavailableException) return; // kept for the next batch
        if (error is null) logger.LogWarning("Released {Count} credit holds of requests that failed", orphanedHolds.Count);
        else logger.LogError(error, "Could not release {Count} credit holds of failed requests; the hold timeout will", orphanedHolds.Count);
        orphanedHolds.Clear();
    }

    private void Fail(MeterOp op, Exception error)
    {
        if (!op.Fail(error)) return; // answered already
        if (error is not MeterUnavailableException) logger.LogError(error, "A credit meter operation ({Operation}) failed", op.GetType().Name);
        if (op.Held is { } held) orphanedHolds.Add(held);
    }

    private void Completed(List<MeterOp> ops)
    {
        foreach (var op in ops) op.Complete();
        foreach (var workspaceId in ops.Select(op => op.WorkspaceId).OfType<int>().Distinct()) notifier.PublishBalance(workspaceId);
    }
}
