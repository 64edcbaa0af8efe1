using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Account;

/// <summary>Failed sign-ins for emails that have no account, counted like Identity counts real ones (in memory, bounded).</summary>
public sealed class UnknownSignInAttempts : IDisposable
{
    private static readonly AppUser Nobody = new();
    private readonly MemoryCache counts = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private string? dummyHash;

    /// <summary>Verifies the password against a real hash (same algorithm and iterations as accounts): the same cost.</summary>
    public void HashAnyway(IPasswordHasher<AppUser> hasher, string password)
    {
        dummyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(Nobody, dummyHash, password);
    }

    public int Count(string userName) => counts.TryGetValue(Key(userName), out int count) ? count : 0;

    /// <summary>Counts one failure; true when that reaches the lockout threshold (as a real account would lock).</summary>
    public bool Fail(string userName, LockoutOptions lockout)
    {
        var key = Key(userName);
        lock (counts)
        {
            var count = Count(userName) + 1;
            if (count > lockout.MaxFailedAccessAttempts) return true;
            counts.Set(key, count, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = lockout.DefaultLockoutTimeSpan });
            return count >= lockout.MaxFailedAccessAttempts;
        }
    }

    private static string Key(string userName) => userName.Trim().ToUpperInvariant();

    public void Dispose() => counts.Dispose();
}
