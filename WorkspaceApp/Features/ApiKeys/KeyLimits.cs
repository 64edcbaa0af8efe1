namespace WorkspaceApp.Features.ApiKeys;

/// <summary>The window a key's spend limit counts over: UTC calendar days or months, or the key's whole life.</summary>
public enum ApiKeyLimitPeriod
{
    None = 0,
    Day = 1,
    Month = 2,
    Total = 3,
}

/// <summary>A key's optional spend limit (micro-credits per period) and expiry, as set when generating or editing it.</summary>
public sealed record ApiKeyLimits(ApiKeyLimitPeriod Period = ApiKeyLimitPeriod.None, long? LimitMicros = null, DateTime? ExpiresAtUtc = null)
{
    public static readonly ApiKeyLimits None = new();
}

/// <summary>The limit and expiry rules, shared by the service and the dialogs.</summary>
public static class KeyLimitRules
{
    public const long MaxLimitCredits = 1_000_000;
    public const int MaxExpiryDays = 3 * 366;

    /// <summary>The grace periods the rotation dialog offers; zero (the default) stops the old key at once.</summary>
    public static readonly IReadOnlyList<TimeSpan> RotationGraces = [TimeSpan.Zero, TimeSpan.FromHours(1), TimeSpan.FromHours(24), TimeSpan.FromDays(7)];

    public static string? Validate(ApiKeyLimits limits, DateTime nowUtc)
    {
        if (!Enum.IsDefined(limits.Period)) return "Choose per day, per month or in total for the spend limit.";
        if (limits.Period == ApiKeyLimitPeriod.None && limits.LimitMicros is not null) return "Choose per day, per month or in total for the spend limit.";
        if (limits.Period != ApiKeyLimitPeriod.None && limits.LimitMicros is not > 0) return "The spend limit must be more than 0 credits.";
        if (limits.LimitMicros > MaxLimitCredits * Billing.Money.MicrosPerCredit) return $"The spend limit can be at most {MaxLimitCredits:N0} credits.";
        if (limits.ExpiresAtUtc is { } expires)
        {
            if (expires <= nowUtc) return "The expiry date must be in the future.";
            if (expires > nowUtc.AddDays(MaxExpiryDays)) return "The expiry date can be at most 3 years ahead.";
        }
        return null;
    }

    public static string? ValidateGrace(TimeSpan grace) =>
        RotationGraces.Contains(grace) ? null : "Choose a grace period: immediately, 1 hour, 24 hours or 7 days.";

    /// <summary>The start (UTC) of the day and of the month <paramref name="nowUtc"/> is in: the limit windows.</summary>
    public static (DateTime Day, DateTime Month) WindowStarts(DateTime nowUtc) =>
        (new DateTime(nowUtc.Year, nowUtc.Month, nowUtc.Day, 0, 0, 0, DateTimeKind.Utc), new DateTime(nowUtc.Year, nowUtc.Month, 1, 0, 0, 0, DateTimeKind.Utc));

    public static string Describe(ApiKeyLimitPeriod period) => period switch
    {
        ApiKeyLimitPeriod.Day => "per day",
        ApiKeyLimitPeriod.Month => "per month",
        ApiKeyLimitPeriod.Total => "in total",
        _ => "",
    };

    /// <summary>"Immediately", "After 1 hour", "After 24 hours", "After 7 days": the rotation dialog's choices.</summary>
    public static string DescribeGrace(TimeSpan grace) => grace == TimeSpan.Zero ? "Immediately" : "After " + Duration(grace);

    /// <summary>"1 hour", "24 hours", "7 days".</summary>
    public static string Duration(TimeSpan span) => span.TotalHours <= 24
        ? $"{span.TotalHours:0} hour{(span.TotalHours == 1 ? "" : "s")}"
        : $"{span.TotalDays:0} days";
}
