namespace WorkspaceApp.Features.Billing;

/// <summary>What auto top-up settings may be, in whole credits.</summary>
public static class AutoTopUpRules
{
    public const int MaxBelowCredits = 100_000;
    public const int MaxMonthlyCredits = 100_000;
    /// <summary>Declined top-ups in a row after which auto top-up switches itself off.</summary>
    public const int MaxFailuresInARow = 3;
    /// <summary>A claim older than this belongs to an instance that stopped mid-top-up: it no longer blocks the next one.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The errors by field ("Below", "Credits", "MonthlyLimit"); none when the settings are valid.</summary>
    public static Dictionary<string, string> Validate(int? belowCredits, int? credits, int? monthlyLimitCredits)
    {
        var errors = new Dictionary<string, string>();
        if (belowCredits is not (>= 1 and <= MaxBelowCredits))
            errors["Below"] = $"Enter a balance from 1 to {MaxBelowCredits:#,##0} credits.";
        if (credits is null || PurchaseRules.Validate(credits.Value) is not null)
            errors["Credits"] = PurchaseRules.RangeMessage;
        if (monthlyLimitCredits is not (>= 1 and <= MaxMonthlyCredits))
            errors["MonthlyLimit"] = $"Enter a monthly limit from 1 to {MaxMonthlyCredits:#,##0} credits.";
        else if (credits is { } c && monthlyLimitCredits < c)
            errors["MonthlyLimit"] = "The monthly limit must allow at least one top-up.";
        return errors;
    }

    public static DateTime MonthStartUtc(DateTime nowUtc) => new(nowUtc.Year, nowUtc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
}
