using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Email;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.ApiKeys;

/// <summary>
/// Emails the workspace's owners and admins when an active key will expire within <see cref="Notice"/>, once per
/// key (and again if its expiry date is changed). Runs at start and every <see cref="Interval"/>; a failing pass is
/// logged and the next one tries again.
/// </summary>
public sealed class KeyExpiryWarnings(
    IDbContextFactory<AppDbContext> dbFactory,
    IEmailOutbox outbox,
    PublicUrls urls,
    TimeProvider clock,
    ILogger<KeyExpiryWarnings> logger) : BackgroundService
{
    public static readonly TimeSpan Notice = TimeSpan.FromDays(7);
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await WarnAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Key expiry warnings failed; retrying in {Interval}", Interval);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One pass: every key due a warning gets one. Returns how many were sent.</summary>
    public async Task<int> WarnAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var horizon = now + Notice;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Status == ApiKeyStatus.Active && k.ExpiryWarnedAtUtc == null && k.ExpiresAtUtc > now && k.ExpiresAtUtc <= horizon)
            .Select(k => new { k.Id, k.WorkspaceId, k.Name, k.Hint, k.ExpiresAtUtc })
            .ToListAsync(ct);
        var sent = 0;
        foreach (var key in due)
        {
            // The conditional update claims the warning: with several instances, only one sends it. Claim and emails
            // commit together, so a crash in between neither loses the warning nor sends it twice.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var claimed = await db.ApiKeys.Where(k => k.Id == key.Id && k.ExpiryWarnedAtUtc == null && k.ExpiresAtUtc == key.ExpiresAtUtc)
                .ExecuteUpdateAsync(k => k.SetProperty(x => x.ExpiryWarnedAtUtc, now), ct);
            if (claimed == 0) continue;
            var recipients = await db.WorkspaceMembers.AsNoTracking()
                .Where(m => m.WorkspaceId == key.WorkspaceId && (m.Role == WorkspaceRole.Owner || m.Role == WorkspaceRole.Admin))
                .Select(m => m.User.Email).ToListAsync(ct);
            foreach (var to in recipients.OfType<string>()) outbox.Add(db, Message(to, key.Name, key.Hint, key.ExpiresAtUtc!.Value));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            outbox.Wake();
            sent++;
        }
        return sent;
    }

    private EmailMessage Message(string to, string name, string hint, DateTime expiresAtUtc)
    {
        var when = expiresAtUtc.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var link = urls.Absolute("/settings/api-keys");
        var subject = $"API key \"{name}\" expires on {expiresAtUtc.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}";
        var text = $"The API key \"{name}\" ({hint}) expires on {when}. After that, requests with it are refused (401 key_expired).\n\n" +
            $"Rotate it or change its expiry in Settings > API Keys: {link}\n";
        var html = $"<p>The API key <strong>{WebUtility.HtmlEncode(name)}</strong> ({WebUtility.HtmlEncode(hint)}) expires on {when}. " +
            "After that, requests with it are refused (401 key_expired).</p>" +
            $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">Rotate it or change its expiry in Settings &gt; API Keys</a></p>";
        return new EmailMessage(to, subject, text, html);
    }
}
