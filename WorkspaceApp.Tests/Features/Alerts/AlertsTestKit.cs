using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Email;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Alerts;

/// <summary>Balance changes, saved cards and sent mail for the alert and auto top-up tests, all through the app's own services.</summary>
internal static class AlertsTestKit
{
    public static TestCardForm Card(string number) => new() { Number = number, Expiry = $"12/{(DateTime.UtcNow.Year + 2) % 100:00}", Cvc = "123" };

    /// <summary>Adds (or with a negative amount takes) credits through the ledger, as an operator adjustment would.</summary>
    public static async Task AdjustAsync(this AppFactory app, int workspaceId, decimal credits)
    {
        await using var scope = app.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<LedgerService>().PostAsync(
            workspaceId, LedgerEntryKind.Adjustment, (long)(credits * Money.MicrosPerCredit), "test", new Actor(null, "test"));
        Assert.True(result.EntryId is not null, result.Error);
    }

    /// <summary>Buys credits at the test checkout with "save the card for auto top-up" ticked.</summary>
    public static async Task<int> BuyAndSaveCardAsync(this AppFactory app, TestUser user, int credits = 10, string card = TestCards.Success)
    {
        await using var scope = app.CreateScope();
        var started = await scope.ServiceProvider.GetRequiredService<BillingService>()
            .StartPurchaseAsync(user.Principal, user.WorkspaceId, credits, "http://localhost/", saveCard: true);
        Assert.True(started.Succeeded, started.Error);
        var purchaseId = int.Parse(started.Value!.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var paid = await scope.ServiceProvider.GetRequiredService<TestCheckoutService>().PayAsync(user.Principal, purchaseId, Card(card));
        Assert.True(paid.Paid, paid.Error);
        return purchaseId;
    }

    public static async Task<T> DbAsync<T>(this AppFactory app, Func<AppDbContext, Task<T>> query)
    {
        await using var scope = app.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>Waits (polling the database) until <paramref name="condition"/> holds: background work has no other signal.</summary>
    public static async Task WaitUntilAsync(this AppFactory app, Func<AppDbContext, Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await app.DbAsync(condition))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for: {what}");
            await Task.Delay(25);
        }
    }

    /// <summary>Waits for a message with this subject (queued after the claim that decided to send it).</summary>
    public static Task WaitForMailAsync(this AppFactory app, string address, string subject) =>
        app.Mail.WaitForAsync(address, m => m.Subject == subject);

    /// <summary>
    /// Every message queued so far, once delivered: the outbox delivers in order, so when a marker sent now has
    /// arrived, so has everything queued before it.
    /// </summary>
    public static async Task<IReadOnlyList<MimeMessage>> DeliveredMailAsync(this AppFactory app, string address)
    {
        var marker = $"marker {Guid.NewGuid():N}";
        await app.Services.GetRequiredService<IEmailOutbox>().EnqueueAsync(new EmailMessage(address, marker, marker, marker));
        await app.Mail.WaitForAsync(address, m => m.Subject == marker);
        return app.Mail.To(address).Where(m => !(m.Subject ?? "").StartsWith("marker ", StringComparison.Ordinal)).ToList();
    }
}
