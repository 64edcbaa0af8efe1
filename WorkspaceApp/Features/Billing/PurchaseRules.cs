using System.Globalization;

namespace WorkspaceApp.Features.Billing;

/// <summary>What a purchase may be: whole credits, 5 to 10,000, at 1 EUR (100 cents) each.</summary>
public static class PurchaseRules
{
    public const int MinCredits = 5;
    public const int MaxCredits = 10_000;
    public const long CentsPerCredit = 100;
    public const string Currency = "eur";
    public static readonly IReadOnlyList<int> QuickChoices = [10, 25, 50, 100];

    public static string RangeMessage => $"Choose a whole number of credits from {MinCredits} to {MaxCredits:#,##0}.";

    /// <summary>Parses what a person typed; returns the error to show, or null with the credits.</summary>
    public static string? TryParse(string? text, out int credits)
    {
        credits = 0;
        var trimmed = text?.Trim().Replace(",", "", StringComparison.Ordinal);
        if (string.IsNullOrEmpty(trimmed)) return "Enter how many credits to buy.";
        if (!decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return $"'{text!.Trim()}' is not a number. {RangeMessage}";
        }
        if (value != decimal.Truncate(value)) return $"Credits are bought in whole numbers. {RangeMessage}";
        if (value is < MinCredits or > MaxCredits) return RangeMessage;
        credits = (int)value;
        return null;
    }

    public static string? Validate(long credits) => credits is < MinCredits or > MaxCredits ? RangeMessage : null;

    public static long TotalCents(int credits) => credits * CentsPerCredit;
}

/// <summary>Whole credits typed into a settings form: empty is null, anything else a whole number or an error.</summary>
public static class WholeCredits
{
    public static string? TryParse(string? text, out int? credits)
    {
        credits = null;
        var trimmed = text?.Trim().Replace(",", "", StringComparison.Ordinal);
        if (string.IsNullOrEmpty(trimmed)) return null;
        if (!int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return $"'{text!.Trim()}' is not a whole number of credits.";
        credits = value;
        return null;
    }

    public static string? Text(int? credits) => credits?.ToString(CultureInfo.InvariantCulture);
}
