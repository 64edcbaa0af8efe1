using WorkspaceApp.Features.Billing;

namespace WorkspaceApp.Tests.Features.Billing;

public sealed class MoneyTests
{
    [Theory]
    [InlineData(0, "0.00")]
    [InlineData(25_000_000, "25.00")]
    [InlineData(24_370_000, "24.37")]
    [InlineData(24_379_999, "24.37")] // never shown higher than it is
    [InlineData(1, "0.00")]
    [InlineData(-1_500_000, "-1.50")]
    [InlineData(10_000_000_000, "10000.00")]
    public void Format_shows_two_decimals_truncated(long micros, string expected) => Assert.Equal(expected, Money.Format(micros));

    [Theory]
    [InlineData("12", 12_000_000)]
    [InlineData(" 12.5 ", 12_500_000)]
    [InlineData("-3.25", -3_250_000)]
    [InlineData("0.000001", 1)]
    public void TryParseCredits_reads_exact_micro_credits(string text, long expected)
    {
        Assert.True(Money.TryParseCredits(text, out var micros));
        Assert.Equal(expected, micros);
    }

    [Theory]
    [InlineData("0.0000001")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1e3")]
    [InlineData("99999999999999999999")]
    public void TryParseCredits_refuses_what_is_not_an_exact_amount(string? text) => Assert.False(Money.TryParseCredits(text, out _));

    [Fact]
    public void Cents_and_euros_convert_exactly()
    {
        Assert.Equal(25_000_000, Money.FromCents(2500));
        Assert.Equal(10_000, Money.FromCents(1));
        Assert.Equal(25_000_000, Money.FromCredits(25));
        Assert.Equal("€25.00", Money.FormatEuros(2500));
        Assert.Equal("€10,000.00", Money.FormatEuros(1_000_000));
        Assert.Throws<OverflowException>(() => Money.FromCredits(long.MaxValue));
    }

    [Theory]
    [InlineData("5", 5)]
    [InlineData("25", 25)]
    [InlineData(" 10000 ", 10_000)]
    [InlineData("1,000", 1_000)]
    public void A_purchase_takes_whole_credits_from_5_to_10000(string text, int expected)
    {
        Assert.Null(PurchaseRules.TryParse(text, out var credits));
        Assert.Equal(expected, credits);
        Assert.Equal(expected * 100L, PurchaseRules.TotalCents(credits));
    }

    [Theory]
    [InlineData("0", "from 5 to 10,000")]
    [InlineData("4", "from 5 to 10,000")]
    [InlineData("10001", "from 5 to 10,000")]
    [InlineData("-5", "from 5 to 10,000")]
    [InlineData("1.5", "whole numbers")]
    [InlineData("ten", "is not a number")]
    [InlineData("", "Enter how many")]
    [InlineData("99999999999999999999", "from 5 to 10,000")]
    [InlineData("1e3", "is not a number")]
    public void Anything_else_gets_a_clear_message(string text, string expected)
    {
        var error = PurchaseRules.TryParse(text, out var credits);
        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(0, credits);
    }
}
