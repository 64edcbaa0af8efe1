using System.Collections.Concurrent;

namespace WorkspaceApp.Features.Workspaces;

/// <summary>
/// Tells open pages that a workspace changed (balance, plan, keys), so they refresh without a reload.
/// Singleton; components subscribe and call back through their own InvokeAsync. On PostgreSQL the
/// <see cref="PostgresChangeRelay"/> also carries each change to the other instances (and theirs to this one).
/// </summary>
public sealed class WorkspaceChangeNotifier(ILogger<WorkspaceChangeNotifier> logger)
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Subscription, byte>> subscribers = new();

    // Workspaces changed here and not yet sent to the other instances (true: their access changed too); a set, so a
    // burst is sent once.
    private ConcurrentDictionary<int, bool>? outgoing;

    /// <summary>
    /// A workspace's keys, plan or members may have changed (here or on another instance), raised before its pages
    /// are told; null: anything may have changed (changes made elsewhere while the relay was down were missed).
    /// The API key cache evicts on it.
    /// </summary>
    public event Action<int?>? AccessChanged;

    private volatile bool receivesAllChanges = true;

    /// <summary>
    /// False while changes made on other instances may not arrive (the PostgreSQL relay is not listening): the API key
    /// cache is bypassed meanwhile, so a key revoked elsewhere is refused at once, at the price of a read per request.
    /// </summary>
    public bool ReceivesAllChanges => receivesAllChanges;

    internal void SetReceivesAllChanges(bool value) => receivesAllChanges = value;

    public IDisposable Subscribe(int workspaceId, Func<Task> onChanged)
    {
        var subscription = new Subscription(this, workspaceId, onChanged);
        subscribers.GetOrAdd(workspaceId, _ => new())[subscription] = 0;
        return subscription;
    }

    /// <summary>
    /// Anything about the workspace may have changed, its access included (keys, plan, members): cached API key
    /// resolutions of it are evicted at once here and on the other instances. The safe default for every change.
    /// </summary>
    public void Publish(int workspaceId)
    {
        outgoing?.AddOrUpdate(workspaceId, true, static (_, _) => true);
        Deliver(workspaceId, accessChanged: true);
    }

    /// <summary>Only the balance changed (the meter, many times a second): pages refresh, cached key resolutions stay.</summary>
    public void PublishBalance(int workspaceId)
    {
        outgoing?.TryAdd(workspaceId, false);
        Deliver(workspaceId, accessChanged: false);
    }

    /// <summary>From now on, collects changes for <see cref="TakeOutgoing"/>.</summary>
    internal void StartRelaying() => Interlocked.CompareExchange(ref outgoing, new(), null);

    /// <summary>The workspaces changed here since the last call.</summary>
    internal List<(int WorkspaceId, bool AccessChanged)> TakeOutgoing()
    {
        var taken = new List<(int, bool)>();
        if (outgoing is null) return taken;
        foreach (var workspaceId in outgoing.Keys)
        {
            if (outgoing.TryRemove(workspaceId, out var accessChanged)) taken.Add((workspaceId, accessChanged));
        }
        return taken;
    }

    /// <summary>Puts back changes that could not be sent.</summary>
    internal void Requeue(IEnumerable<(int WorkspaceId, bool AccessChanged)> changes)
    {
        foreach (var (workspaceId, accessChanged) in changes) outgoing?.AddOrUpdate(workspaceId, accessChanged, (_, queued) => queued || accessChanged);
    }

    /// <summary>Tells every open page to reload: after the relay was down, changes elsewhere may have been missed.</summary>
    internal void DeliverToAll()
    {
        AccessChanged?.Invoke(null);
        foreach (var workspaceId in subscribers.Keys) Deliver(workspaceId, accessChanged: false);
    }

    /// <summary>Evicts (if its access changed) and calls this instance's subscribers of <paramref name="workspaceId"/> (a change here or on another instance).</summary>
    internal void Deliver(int workspaceId, bool accessChanged)
    {
        if (accessChanged) AccessChanged?.Invoke(workspaceId);
        if (!subscribers.TryGetValue(workspaceId, out var set)) return;
        foreach (var subscription in set.Keys)
        {
            _ = NotifyAsync(subscription);
        }
    }

    private async Task NotifyAsync(Subscription subscription)
    {
        try
        {
            await subscription.OnChanged();
        }
        catch (Exception ex)
        {
            // A closed circuit must not break the publisher.
            logger.LogDebug(ex, "A workspace change subscriber failed");
        }
    }

    private sealed class Subscription(WorkspaceChangeNotifier owner, int workspaceId, Func<Task> onChanged) : IDisposable
    {
        public Func<Task> OnChanged { get; } = onChanged;

        public void Dispose()
        {
            if (owner.subscribers.TryGetValue(workspaceId, out var set)) set.TryRemove(this, out _);
        }
    }
}
