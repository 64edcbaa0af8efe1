using System.Globalization;

namespace WorkspaceApp.Features.Billing;

/// <summary>
/// Credits are exact integers of micro-credits (1 credit = 1 EUR = 1,000,000 micro-credits);
/// decimal is used only at the edges, to parse and to show.
/// </summary>
public static class Money
{
    public const long MicrosPerCredit = 1_000_000;

    /// <summary>Two decimals, truncated toward zero so a balance is never shown higher than it is: "24.37".</summary>
    public static string Format(long micros) =>
        Math.Round((decimal)micros / MicrosPerCredit, 2, MidpointRounding.ToZero).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Six decimals, exact to the micro-credit: "0.000125". What the API reports, so it can be reconciled.</summary>
    public static string FormatExact(long micros) =>
        ((decimal)micros / MicrosPerCredit).ToString("0.000000", CultureInfo.InvariantCulture);

    public static long FromCredits(long credits) => checked(credits * MicrosPerCredit);

    /// <summary>Euro cents paid into micro-credits (1 EUR = 1 credit, so 1 cent = 10,000 micro-credits).</summary>
    public static long FromCents(long cents) => checked(cents * (MicrosPerCredit / 100));

    /// <summary>"€25.00" for 2500 cents: what a payment shows.</summary>
    public static string FormatEuros(long cents) =>
        "€" + ((decimal)cents / 100).ToString("#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>Parses "12", "12.5" or "-3.25" credits (at most six decimals) into micro-credits.</summary>
    public static bool TryParseCredits(string? text, out long micros)
    {
        micros = 0;
        if (!decimal.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var credits))
            return false;
        var scaled = credits * MicrosPerCredit;
        if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue || scaled < long.MinValue) return false;
        micros = (long)scaled;
        return true;
    }
}
