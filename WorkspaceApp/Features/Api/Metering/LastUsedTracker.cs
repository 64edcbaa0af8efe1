using System.Collections.Concurrent;

namespace WorkspaceApp.Features.Api.Metering;

/// <summary>
/// Remembers in memory when each key was last used; <see cref="MeterMaintenance"/> writes the times every few
/// seconds, so "last used" costs no database write per request.
/// </summary>
public sealed class LastUsedTracker
{
    private ConcurrentDictionary<int, DateTime> pending = new();

    public void Touch(int apiKeyId, DateTime atUtc) => pending[apiKeyId] = atUtc;

    public IReadOnlyDictionary<int, DateTime> TakeAll() => Interlocked.Exchange(ref pending, new());

    /// <summary>Puts back times a failed flush took, unless the key was used again since.</summary>
    public void Restore(IReadOnlyDictionary<int, DateTime> times)
    {
        foreach (var (keyId, atUtc) in times) pending.AddOrUpdate(keyId, atUtc, (_, newer) => newer > atUtc ? newer : atUtc);
    }
}
