using WorkspaceApp.Features.Usage;

namespace WorkspaceApp.Tests.Features.Usage;

public sealed class UsageRangeTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    [Theory]
    [InlineData(null, null, null, "2026-10-30", "2026-11-28", "range=30d")]
    [InlineData("7d", null, null, "2026-11-22", "2026-11-28", "range=7d")]
    [InlineData("90d", null, null, "2026-08-31", "2026-11-28", "range=90d")]
    [InlineData(null, "2026-01-01", "2026-01-31", "2026-01-01", "2026-01-31", "from=2026-01-01&to=2026-01-31")]
    public void A_range_reads_from_the_query_and_writes_back_the_same(string? range, string? from, string? to, string first, string last, string query)
    {
        Assert.True(UsageRange.TryParse(range, from, to, Today, out var parsed, out var error), error);

        Assert.Equal((DateOnly.Parse(first), DateOnly.Parse(last), query), (parsed.From, parsed.To, parsed.Query));
        Assert.Equal(parsed.To.AddDays(1).ToDateTime(TimeOnly.MinValue), parsed.ToUtcExclusive);
        Assert.Equal(DateTimeKind.Utc, parsed.FromUtc.Kind);
    }

    [Theory]
    [InlineData("7d", "2026-01-01", null)]
    [InlineData("365d", null, null)]
    [InlineData(null, "2026-01-01", null)]
    [InlineData(null, "2026-13-01", "2026-12-01")]
    [InlineData(null, "2026-02-01", "2026-01-31")]
    [InlineData(null, "2025-01-01", "2026-01-02")]
    public void Anything_else_is_an_error_and_the_default_range_stands(string? range, string? from, string? to)
    {
        Assert.False(UsageRange.TryParse(range, from, to, Today, out var parsed, out var error));

        Assert.NotNull(error);
        Assert.Equal("30d", parsed.Preset);
    }
}
