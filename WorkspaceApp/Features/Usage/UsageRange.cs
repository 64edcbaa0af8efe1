using System.Globalization;

namespace WorkspaceApp.Features.Usage;

/// <summary>
/// The days a usage report covers, in UTC: <see cref="From"/> to <see cref="To"/>, both included. Written in the URL as
/// ?range=7d|30d|90d (ending today) or ?from=yyyy-MM-dd&amp;to=yyyy-MM-dd.
/// </summary>
public sealed record UsageRange(DateOnly From, DateOnly To, string? Preset)
{
    public const int MaxDays = 366;
    public const string DefaultPreset = "30d";
    public static readonly IReadOnlyList<(string Preset, string Label)> Presets =
        [("7d", "Last 7 days"), ("30d", "Last 30 days"), ("90d", "Last 90 days")];

    public DateTime FromUtc => From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The first instant after the range (exclusive bound for queries).</summary>
    public DateTime ToUtcExclusive => To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public int Days => To.DayNumber - From.DayNumber + 1;

    public string Label => Presets.FirstOrDefault(p => p.Preset == Preset).Label ?? "Custom dates";

    /// <summary>The query string that reproduces this range.</summary>
    public string Query => Preset is not null ? $"range={Preset}" : $"from={Iso(From)}&to={Iso(To)}";

    public string FileName => $"usage-{Iso(From)}-to-{Iso(To)}.csv";

    public static UsageRange Last(int days, DateOnly today, string? preset = null) => new(today.AddDays(1 - days), today, preset);

    /// <summary>
    /// Reads the range from the query values; none given means the default (last 30 days). Returns an error naming
    /// what is wrong for anything else that does not make a valid range.
    /// </summary>
    public static bool TryParse(string? range, string? from, string? to, DateOnly today, out UsageRange result, out string? error)
    {
        result = Last(30, today, DefaultPreset);
        error = null;
        if (!string.IsNullOrEmpty(range))
        {
            if (from is not null || to is not null) error = "Give either range or from and to, not both.";
            else if (Presets.Any(p => p.Preset == range)) result = Last(int.Parse(range[..^1], CultureInfo.InvariantCulture), today, range);
            else error = $"Unknown range '{Excerpt(range)}': use 7d, 30d or 90d, or from and to.";
            return error is null;
        }
        if (from is null && to is null) return true;
        if (!TryDate(from, out var start) || !TryDate(to, out var end))
        {
            error = "from and to must both be dates written yyyy-MM-dd.";
        }
        else if (end < start)
        {
            error = "from must not be after to.";
        }
        else if (end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            error = $"A range covers at most {MaxDays} days.";
        }
        else
        {
            result = new UsageRange(start, end, null);
        }
        return error is null;
    }

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Excerpt(string text) => text.Length > 16 ? text[..16] + "..." : text;
}
