using WorkspaceApp.Features.Billing;

namespace WorkspaceApp.Features.ApiKeys;

/// <summary>How the API Keys tab words a key's limit, spend and expiry.</summary>
public static class KeyLimitText
{
    /// <summary>"1.20 of 5.00 credits per day", or null without a limit.</summary>
    public static string? Spend(ApiKeyRow key) => key.Limits?.LimitMicros is { } limit
        ? $"{Money.Format(key.SpentMicros)} of {Money.Format(limit)} credits {KeyLimitRules.Describe(key.Limits.Period)}"
        : null;

    /// <summary>Spent as a percentage of the limit, 0 to 100.</summary>
    public static double Percent(ApiKeyRow key) => key.Limits?.LimitMicros is > 0 and var limit
        ? Math.Min(100, 100.0 * key.SpentMicros / limit)
        : 0;

    /// <summary>"Expires in 5 days", "Expires in 3 hours", "Expired", or null without an expiry.</summary>
    public static string? Expiry(ApiKeyRow key, DateTime nowUtc) => key.Limits?.ExpiresAtUtc is { } expires
        ? key.IsExpired || expires <= nowUtc ? "Expired" : "Expires in " + Left(expires - nowUtc)
        : null;

    /// <summary>"Works for 59 more minutes": a rotated key in its grace period.</summary>
    public static string Grace(ApiKeyRow key, DateTime nowUtc) => "Still works for " + Left((key.RevokedAtUtc ?? nowUtc) - nowUtc);

    private static string Left(TimeSpan left) => left switch
    {
        { TotalDays: >= 2 } => $"{(int)left.TotalDays} days",
        { TotalHours: >= 2 } => $"{(int)left.TotalHours} hours",
        { TotalMinutes: >= 2 } => $"{(int)left.TotalMinutes} minutes",
        _ => "less than 2 minutes",
    };
}
