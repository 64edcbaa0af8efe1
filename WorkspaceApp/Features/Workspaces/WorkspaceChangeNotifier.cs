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

    // Workspaces changed here and not yet sent to the other instances; a set, so a burst is sent once.
    private ConcurrentDictionary<int, byte>? outgoing;

    public IDisposable Subscribe(int workspaceId, Func<Task> onChanged)
    {
        var subscription = new Subscription(this, workspaceId, onChanged);
        subscribers.GetOrAdd(workspaceId, _ => new())[subscription] = 0;
        return subscription;
    }

    public void Publish(int workspaceId)
    {
        outgoing?.TryAdd(workspaceId, 0);
        Deliver(workspaceId);
    }

    /// <summary>From now on, collects changes for <see cref="TakeOutgoing"/>.</summary>
    internal void StartRelaying() => Interlocked.CompareExchange(ref outgoing, new(), null);

    /// <summary>The workspaces changed here since the last call.</summary>
    internal List<int> TakeOutgoing()
    {
        var taken = new List<int>();
        if (outgoing is null) return taken;
        foreach (var workspaceId in outgoing.Keys)
        {
            if (outgoing.TryRemove(workspaceId, out _)) taken.Add(workspaceId);
        }
        return taken;
    }

    /// <summary>Puts back changes that could not be sent.</summary>
    internal void Requeue(IEnumerable<int> workspaceIds)
    {
        foreach (var workspaceId in workspaceIds) outgoing?.TryAdd(workspaceId, 0);
    }

    /// <summary>Tells every open page to reload: after the relay was down, changes elsewhere may have been missed.</summary>
    internal void DeliverToAll()
    {
        foreach (var workspaceId in subscribers.Keys) Deliver(workspaceId);
    }

    /// <summary>Calls this instance's subscribers of <paramref name="workspaceId"/> (a change here or on another instance).</summary>
    internal void Deliver(int workspaceId)
    {
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
