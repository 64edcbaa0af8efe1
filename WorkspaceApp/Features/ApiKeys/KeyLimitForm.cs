using System.Globalization;
using WorkspaceApp.Features.Billing;

namespace WorkspaceApp.Features.ApiKeys;

/// <summary>
/// What the limit fields of the Generate and Edit limits dialogs hold, and their translation to <see cref="ApiKeyLimits"/>
/// with an error per field. The expiry is a last day: the key works through that day (UTC) and stops at the next midnight.
/// </summary>
public sealed class KeyLimitForm
{
    public ApiKeyLimitPeriod Period { get; set; }
    public decimal? Credits { get; set; }
    /// <summary>yyyy-MM-dd, as an &lt;input type="date"&gt; gives it; empty for no expiry.</summary>
    public string? LastDay { get; set; }

    public string? LimitError { get; private set; }
    public string? ExpiryError { get; private set; }

    private DateTime? keptExpiry; // an expiry not on a midnight (set by the ops CLI) survives an edit that leaves the date alone

    public static KeyLimitForm From(ApiKeyLimits limits) => new()
    {
        Period = limits.Period,
        Credits = limits.LimitMicros is { } micros ? (decimal)micros / Money.MicrosPerCredit : null,
        LastDay = limits.ExpiresAtUtc is { } expires ? LastDayOf(expires) : null,
        keptExpiry = limits.ExpiresAtUtc,
    };

    /// <summary>The limits, or null with <see cref="LimitError"/> / <see cref="ExpiryError"/> set.</summary>
    public ApiKeyLimits? Build(DateTime nowUtc)
    {
        LimitError = ExpiryError = null;
        long? micros = null;
        if (Period != ApiKeyLimitPeriod.None)
        {
            var scaled = (Credits ?? 0) * Money.MicrosPerCredit;
            if (scaled != decimal.Truncate(scaled)) LimitError = "The spend limit can have at most six decimals.";
            else if (scaled > long.MaxValue || scaled < long.MinValue) LimitError = $"The spend limit can be at most {KeyLimitRules.MaxLimitCredits:N0} credits.";
            else micros = (long)scaled;
        }
        LimitError ??= KeyLimitRules.Validate(new ApiKeyLimits(Period, micros), nowUtc);

        DateTime? expires = null;
        if (!string.IsNullOrWhiteSpace(LastDay))
        {
            if (!DateTime.TryParseExact(LastDay, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
            {
                ExpiryError = "Enter the last day as a date.";
            }
            else
            {
                expires = keptExpiry is { } kept && LastDayOf(kept) == LastDay ? kept : DateTime.SpecifyKind(day.Date.AddDays(1), DateTimeKind.Utc);
                ExpiryError = KeyLimitRules.Validate(new ApiKeyLimits(ExpiresAtUtc: expires), nowUtc);
            }
        }
        return LimitError is null && ExpiryError is null ? new ApiKeyLimits(Period, micros, expires) : null;
    }

    private static string LastDayOf(DateTime expiresAtUtc) =>
        expiresAtUtc.AddTicks(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
