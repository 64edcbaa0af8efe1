using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Email;

/// <summary>
/// Stores messages in the database (<see cref="OutboxEmail"/>) and delivers them one at a time, oldest first, in the
/// background, retrying with a growing delay, so a slow or failing mail server never slows or fails the action that
/// sent the message, and a restart or crash does not lose it (it is sent after the next start). With several
/// instances, one conditional UPDATE claims a message, so each is sent by one of them. Delivery is at least once: a
/// crash between the server's acceptance and the row's deletion sends it again. Bodies carry sign-in links and
/// tokens: they are stored encrypted and never logged, only the subject.
/// </summary>
internal sealed partial class EmailOutbox(
    IDbContextFactory<AppDbContext> dbFactory, IDataProtectionProvider dataProtection, IEmailTransport transport,
    IOptions<EmailOptions> options, TimeProvider time, ILogger<EmailOutbox> logger)
    : BackgroundService, IEmailOutbox
{
    // Other instances' messages are picked up on this beat; this instance's own ones at once.
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);
    // How long a claim keeps other instances away, beyond the wait for the next attempt.
    private static readonly TimeSpan ClaimTime = TimeSpan.FromMinutes(2);

    private readonly IDataProtector protector = dataProtection.CreateProtector("WorkspaceApp.Email.Outbox");
    private readonly SemaphoreSlim wake = new(0);

    public async Task EnqueueAsync(EmailMessage message, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Add(db, message);
        await db.SaveChangesAsync(ct);
        Wake();
    }

    public void Add(AppDbContext db, EmailMessage message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message.To);
        db.OutboxEmails.Add(new OutboxEmail
        {
            To = message.To,
            Subject = message.Subject,
            ProtectedBody = protector.Protect(JsonSerializer.Serialize(new Bodies(message.TextBody, message.HtmlBody))),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        });
    }

    public void Wake()
    {
        if (wake.CurrentCount == 0) wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    while (await ClaimNextAsync(stoppingToken) is { } email) await DeliverAsync(email, stoppingToken);
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database is out of reach, say: the messages wait in it, the next beat tries again.
                    LogFault(error);
                }
                await wake.WaitAsync(PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await LogWaitingAsync();
        }
    }

    /// <summary>The oldest message no instance is delivering, claimed by this one; null when there is none.</summary>
    private async Task<OutboxEmail?> ClaimNextAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        while (true)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var next = await db.OutboxEmails.AsNoTracking().Where(e => e.ClaimedUntilUtc == null || e.ClaimedUntilUtc < now)
                .OrderBy(e => e.Id).FirstOrDefaultAsync(ct);
            if (next is null) return null;
            var claimed = await db.OutboxEmails.Where(e => e.Id == next.Id && (e.ClaimedUntilUtc == null || e.ClaimedUntilUtc < now))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimedUntilUtc, now + ClaimTime), ct);
            if (claimed == 1) return next; // what was read is what was claimed: only the claim changes a waiting message
        }
    }

    private async Task DeliverAsync(OutboxEmail email, CancellationToken ct)
    {
        MimeMessage mime;
        try
        {
            mime = ToMime(email);
        }
        catch (System.Security.Cryptography.CryptographicException error)
        {
            // Encrypted with a key this app no longer has: it cannot be read, so it cannot be sent.
            LogUnreadable(error, email.Subject);
            await RemoveAsync(email.Id);
            return;
        }
        var maxAttempts = options.Value.MaxAttempts;
        var firstDelay = TimeSpan.FromSeconds(options.Value.RetryDelaySeconds);
        for (var attempt = email.Attempts + 1; ; attempt++)
        {
            try
            {
                await transport.SendAsync(mime, ct);
                await RemoveAsync(email.Id);
                return;
            }
            catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                if (attempt >= maxAttempts)
                {
                    LogGivenUp(error, email.Subject, attempt);
                    await RemoveAsync(email.Id);
                    return;
                }
                var delay = TimeSpan.FromTicks(Math.Min(firstDelay.Ticks << (attempt - 1), TimeSpan.FromMinutes(5).Ticks));
                LogRetrying(error.Message, email.Subject, attempt, delay);
                await RecordFailureAsync(email.Id, attempt, time.GetUtcNow().UtcDateTime + delay + ClaimTime);
                try
                {
                    await Task.Delay(delay, time, ct);
                }
                catch (OperationCanceledException)
                {
                    await ReleaseClaimAsync(email.Id); // stopping: the next start (or another instance) goes on at once
                    throw;
                }
            }
        }
    }

    private MimeMessage ToMime(OutboxEmail email)
    {
        var bodies = JsonSerializer.Deserialize<Bodies>(protector.Unprotect(email.ProtectedBody))!;
        var mime = new MimeMessage { Subject = email.Subject };
        mime.From.Add(MailboxAddress.Parse(options.Value.From));
        mime.To.Add(MailboxAddress.Parse(email.To));
        mime.Body = new BodyBuilder { TextBody = bodies.Text, HtmlBody = bodies.Html }.ToMessageBody();
        return mime;
    }

    // The bookkeeping below must happen even while stopping: it never takes the stopping token.
    private async Task RemoveAsync(long id)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.OutboxEmails.Where(e => e.Id == id).ExecuteDeleteAsync();
    }

    private async Task RecordFailureAsync(long id, int attempts, DateTime claimedUntilUtc)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.OutboxEmails.Where(e => e.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Attempts, attempts).SetProperty(e => e.ClaimedUntilUtc, claimedUntilUtc));
    }

    private async Task ReleaseClaimAsync(long id)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.OutboxEmails.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimedUntilUtc, (DateTime?)null));
    }

    private async Task LogWaitingAsync()
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var waiting = await db.OutboxEmails.CountAsync();
            if (waiting > 0) LogWaiting(waiting);
        }
        catch (Exception error)
        {
            LogFault(error);
        }
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    private sealed record Bodies(string Text, string Html);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email '{Subject}' not sent (attempt {Attempt}: {Reason}); retrying in {Delay}.")]
    private partial void LogRetrying(string reason, string subject, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Email '{Subject}' given up after {Attempts} attempts.")]
    private partial void LogGivenUp(Exception error, string subject, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Email '{Subject}' cannot be decrypted (its Data Protection key is gone) and is dropped.")]
    private partial void LogUnreadable(Exception error, string subject);

    [LoggerMessage(Level = LogLevel.Error, Message = "The email outbox cannot read or update its messages; they wait in the database.")]
    private partial void LogFault(Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} emails wait in the outbox; they are sent after the next start.")]
    private partial void LogWaiting(int count);
}
