using System.Globalization;

namespace WorkspaceApp.Features.Billing;

/// <summary>The card form of the in-app test checkout.</summary>
public sealed class TestCardForm
{
    public string? Number { get; set; }
    public string? Expiry { get; set; }
    public string? Cvc { get; set; }
}

public enum TestCardOutcome
{
    Succeeds,
    Declined,
    InsufficientFunds,
}

/// <summary>Stripe's well-known test cards, so the test checkout behaves like Stripe's test mode.</summary>
public static class TestCards
{
    public const string Success = "4242 4242 4242 4242";
    public const string Declined = "4000 0000 0000 0002";
    public const string InsufficientFunds = "4000 0000 0000 9995";
    public const string DeclinedMessage = "Your card was declined.";
    public const string InsufficientFundsMessage = "Your card has insufficient funds.";

    /// <summary>Checks the form like a card form would; returns the field errors, or none with the outcome.</summary>
    public static IReadOnlyDictionary<string, string> Validate(TestCardForm form, DateTime nowUtc, out TestCardOutcome outcome, out string last4)
    {
        var errors = new Dictionary<string, string>();
        var number = Digits(form.Number);
        last4 = number.Length >= 4 ? number[^4..] : "";
        outcome = OutcomeOf(number);
        if (number.Length != 16 || number.Length != (form.Number ?? "").Count(c => c != ' '))
            errors[nameof(form.Number)] = "Enter the 16-digit card number.";
        else if (number != Digits(Success) && outcome == TestCardOutcome.Succeeds)
            errors[nameof(form.Number)] = $"Test mode accepts test cards only, for example {Success}.";

        if (ExpiryError(form.Expiry, nowUtc) is { } expiryError) errors[nameof(form.Expiry)] = expiryError;
        var cvc = form.Cvc?.Trim() ?? "";
        if (cvc.Length != 3 || !cvc.All(char.IsAsciiDigit)) errors[nameof(form.Cvc)] = "Enter the 3-digit security code.";
        return errors;
    }

    /// <summary>What paying with the test card <paramref name="number"/> does (spaces ignored).</summary>
    public static TestCardOutcome OutcomeOf(string? number) => Digits(number) switch
    {
        var digits when digits == Digits(Declined) => TestCardOutcome.Declined,
        var digits when digits == Digits(InsufficientFunds) => TestCardOutcome.InsufficientFunds,
        _ => TestCardOutcome.Succeeds,
    };

    /// <summary>The card number's digits: how a saved test card is kept.</summary>
    public static string Digits(string? text) => new((text ?? "").Where(char.IsAsciiDigit).ToArray());

    public static string? OutcomeMessage(TestCardOutcome outcome) => outcome switch
    {
        TestCardOutcome.Declined => DeclinedMessage,
        TestCardOutcome.InsufficientFunds => InsufficientFundsMessage,
        _ => null,
    };

    private static string? ExpiryError(string? expiry, DateTime nowUtc)
    {
        var parts = (expiry ?? "").Replace(" ", "", StringComparison.Ordinal).Split('/');
        if (parts is not [{ Length: 2 } mm, { Length: 2 } yy]
            || !int.TryParse(mm, NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(yy, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || month is < 1 or > 12)
        {
            return "Enter the expiry date as MM/YY.";
        }
        // A card is valid through the last day of its expiry month.
        return new DateTime(2000 + year, month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1) <= nowUtc ? "Your card has expired." : null;
    }
}
