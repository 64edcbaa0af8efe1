using WorkspaceApp.Features.Billing;

namespace WorkspaceApp.Features.Usage;

/// <summary>What the Usage page shows for a range: spend per day (every day of the range), per key, per model, totals.</summary>
public sealed record UsageReport(UsageRange Range, IReadOnlyList<DaySpend> Days, IReadOnlyList<UsageRow> ByKey, IReadOnlyList<UsageRow> ByModel, UsageRow Totals)
{
    public bool IsEmpty => Totals.Requests + Totals.Refused + Totals.Failed == 0;
}

public sealed record DaySpend(DateOnly Day, long CostMicros);

/// <summary>
/// One line of a usage table. Requests are those served (and charged); refused (not enough credits, limits) and
/// failed (the model failed: nothing charged) are counted apart. Tokens are those of the served requests.
/// </summary>
public sealed record UsageRow(string Name, string? Hint, long CostMicros, long Requests, long Refused, long Failed, long InputTokens, long OutputTokens)
{
    public static UsageRow Sum(string name, IEnumerable<UsageRow> rows) => rows.Aggregate(
        new UsageRow(name, null, 0, 0, 0, 0, 0, 0),
        (a, r) => new UsageRow(name, null, a.CostMicros + r.CostMicros, a.Requests + r.Requests, a.Refused + r.Refused,
            a.Failed + r.Failed, a.InputTokens + r.InputTokens, a.OutputTokens + r.OutputTokens));
}

/// <summary>The last 7 days' average spend per day and how many whole days the balance lasts at that pace.</summary>
public sealed record BurnRate(long AveragePerDayMicros, long BalanceMicros)
{
    public const int Days = 7;

    public long DaysLeft => BalanceMicros / AveragePerDayMicros;

    /// <summary>Two decimals, or six when the daily spend is below a cent (so it never reads "0.00 credits/day").</summary>
    public string AverageText => AveragePerDayMicros >= Money.MicrosPerCredit / 100 ? Money.Format(AveragePerDayMicros) : Money.FormatExact(AveragePerDayMicros);

    public string LastsText => DaysLeft switch
    {
        0 => "less than a day",
        1 => "about 1 day",
        var n => $"about {n:N0} days",
    };
}

/// <summary>One CSV line: one API request.</summary>
public sealed record UsageCsvRow(DateTime AtUtc, string KeyName, string KeyHint, string Model, int InputTokens, int OutputTokens, long CostMicros, string Status);
