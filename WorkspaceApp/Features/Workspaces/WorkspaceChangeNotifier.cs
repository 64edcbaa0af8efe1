using System.Collections.Concurrent;

namespace WorkspaceApp.Features.Workspaces;

/// <summary>
/// Tells open pages that a workspace changed (balance, plan, keys), so they refresh without a reload.
/// Singleton; components subscribe and call back through their own InvokeAsync.
/// </summary>
public sealed class WorkspaceChangeNotifier(ILogger<WorkspaceChangeNotifier> logger)
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Subscription, byte>> subscribers = new();

    public IDisposable Subscribe(int workspaceId, Func<Task> onChanged)
    {
        var subscription = new Subscription(this, workspaceId, onChanged);
        subscribers.GetOrAdd(workspaceId, _ => new())[subscription] = 0;
        return subscription;
    }

    public void Publish(int workspaceId)
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
