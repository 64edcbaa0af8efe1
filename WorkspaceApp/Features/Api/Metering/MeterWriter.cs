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
/// </summary>
public sealed class MeterWriter(
    IDbContextFactory<AppDbContext> dbFactory,
    WorkspaceChangeNotifier notifier,
    IOptions<ApiOptions> options,
    TimeProvider clock,
    ILogger<MeterWriter> logger) : BackgroundService
{
    private readonly Channel<MeterOp> queue = Channel.CreateBounded<MeterOp>(
        new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Queues <paramref name="op"/> and waits until its batch has committed.</summary>
    public async Task<TResult> RunAsync<TResult>(MeterOp<TResult> op, CancellationToken ct = default)
    {
        await queue.Writer.WriteAsync(op, ct);
        return await op.Completion;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(CancellationToken.None);
        await using var sql = new MeterSql(connection);
        var maxBatch = Math.Max(1, options.Value.MeterBatchSize);
        var batch = new List<MeterOp>(maxBatch);

        // Runs until the queue is completed at shutdown, so nothing queued is left unanswered.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < maxBatch && queue.Reader.TryRead(out var op)) batch.Add(op);
            await CommitAsync(sql, batch);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task CommitAsync(MeterSql sql, List<MeterOp> batch)
    {
        try
        {
            await using var transaction = await sql.BeginAsync();
            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var op in batch) await op.ApplyAsync(sql, now);
            await transaction.CommitAsync();
        }
        catch (Exception ex)
        {
            // Nothing of the batch was written: every caller hears so, and its request fails cleanly.
            logger.LogError(ex, "A credit meter batch of {Count} operations failed and was rolled back", batch.Count);
            foreach (var op in batch) op.Fail(ex);
            return;
        }

        foreach (var op in batch) op.Complete();
        foreach (var workspaceId in batch.Select(op => op.WorkspaceId).OfType<int>().Distinct()) notifier.Publish(workspaceId);
    }
}
