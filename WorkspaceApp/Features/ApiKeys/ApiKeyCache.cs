using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.ApiKeys;

/// <summary>A key's SHA-256 as a value: the cache's dictionary key, made without allocating.</summary>
public readonly record struct ApiKeyHash(ulong A, ulong B, ulong C, ulong D)
{
    public static ApiKeyHash Of(string key)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(key, utf8)], hash);
        var words = MemoryMarshal.Cast<byte, ulong>(hash);
        return new ApiKeyHash(words[0], words[1], words[2], words[3]);
    }

    /// <summary>The stored form (ApiKeys.KeyHash): the same bytes as <see cref="ApiKeyFormat.Hash"/>.</summary>
    public byte[] ToArray() => MemoryMarshal.AsBytes<ulong>([A, B, C, D]).ToArray();
}

/// <summary>
/// The whole resolution of each key seen lately (key, workspace, plan and whatever checks need), so that an API request
/// reads nothing to authenticate. Kept correct by eviction: every change of a workspace's keys, plan or members is
/// published through <see cref="WorkspaceChangeNotifier"/>, which evicts that workspace's entries at once here and,
/// through the PostgreSQL relay, on the other instances. Api:KeyCacheSeconds bounds what eviction could miss (a change
/// made in another process on SQLite); while the relay between instances is down it is not used at all. Checks against the clock (expiry) are made on every
/// request against the cached values, never cached. Unknown keys are not cached: a key generated a moment later works.
/// </summary>
public sealed class ApiKeyCache
{
    /// <summary>Most entries; past it the cache starts over (a reload costs one indexed read per key).</summary>
    public const int Capacity = 100_000;

    private sealed record Entry(ApiKeyResolution Resolution, long LoadedAt);

    private readonly ConcurrentDictionary<ApiKeyHash, Entry> entries = new();
    private readonly TimeSpan lifetime;
    private readonly TimeProvider clock;
    private readonly WorkspaceChangeNotifier notifier;
    private long generation; // counts evictions, so that a read racing one is not kept

    public ApiKeyCache(WorkspaceChangeNotifier notifier, IOptions<ApiOptions> options, TimeProvider clock)
    {
        lifetime = TimeSpan.FromSeconds(options.Value.KeyCacheSeconds);
        this.clock = clock;
        this.notifier = notifier;
        notifier.AccessChanged += Evict;
    }

    public int Count => entries.Count;

    /// <summary>Take it before reading the database, give it to <see cref="Add"/>.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public bool TryGet(ApiKeyHash hash, out ApiKeyResolution resolution)
    {
        if (notifier.ReceivesAllChanges && entries.TryGetValue(hash, out var entry) && clock.GetElapsedTime(entry.LoadedAt) < lifetime)
        {
            resolution = entry.Resolution;
            return true;
        }
        resolution = null!;
        return false;
    }

    /// <summary>Keeps a resolution read from the database since <paramref name="generationBefore"/>.</summary>
    public void Add(ApiKeyHash hash, ApiKeyResolution resolution, long generationBefore)
    {
        if (resolution.WorkspaceId is null) return;
        if (entries.Count >= Capacity) entries.Clear();
        entries[hash] = new Entry(resolution, clock.GetTimestamp());
        // An eviction since the read began may be for a change the read did not see: drop what was just added. (An
        // eviction after this check removes it itself: it counts first, then removes.)
        if (Generation != generationBefore) entries.TryRemove(hash, out _);
    }

    /// <summary>Forgets the workspace's keys (all keys when null).</summary>
    public void Evict(int? workspaceId)
    {
        Interlocked.Increment(ref generation);
        if (workspaceId is null)
        {
            entries.Clear();
            return;
        }
        foreach (var (hash, entry) in entries)
        {
            if (entry.Resolution.WorkspaceId == workspaceId) entries.TryRemove(hash, out _);
        }
    }
}
