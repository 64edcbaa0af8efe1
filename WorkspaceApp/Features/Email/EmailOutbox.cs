using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MimeKit;

namespace WorkspaceApp.Features.Email;

/// <summary>
/// Queues messages in memory and delivers them one at a time in the background, retrying with a growing delay, so a
/// slow or failing mail server never slows or fails the action that sent the message. Bodies carry sign-in links and
/// tokens: they are never logged, only the subject.
/// </summary>
internal sealed partial class EmailOutbox(
    IEmailTransport transport, IOptions<EmailOptions> options, TimeProvider time, ILogger<EmailOutbox> logger)
    : BackgroundService, IEmailOutbox
{
    private readonly Channel<EmailMessage> queue = Channel.CreateUnbounded<EmailMessage>(new() { SingleReader = true });

    public void Enqueue(EmailMessage message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message.To);
        queue.Writer.TryWrite(message);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in queue.Reader.ReadAllAsync(stoppingToken)) await DeliverAsync(message, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Counted by draining: the single-reader channel cannot count (its Count throws NotSupportedException).
            var undelivered = 0;
            while (queue.Reader.TryRead(out _)) undelivered++;
            if (undelivered > 0) LogUndelivered(undelivered);
        }
    }

    private async Task DeliverAsync(EmailMessage message, CancellationToken ct)
    {
        var maxAttempts = options.Value.MaxAttempts;
        var firstDelay = TimeSpan.FromSeconds(options.Value.RetryDelaySeconds);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await transport.SendAsync(ToMime(message), ct);
                return;
            }
            catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                if (attempt >= maxAttempts)
                {
                    LogGivenUp(error, message.Subject, attempt);
                    return;
                }
                var delay = TimeSpan.FromTicks(Math.Min(firstDelay.Ticks << (attempt - 1), TimeSpan.FromMinutes(5).Ticks));
                LogRetrying(error.Message, message.Subject, attempt, delay);
                await Task.Delay(delay, time, ct);
            }
        }
    }

    private MimeMessage ToMime(EmailMessage message)
    {
        var mime = new MimeMessage { Subject = message.Subject };
        mime.From.Add(MailboxAddress.Parse(options.Value.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody();
        return mime;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email '{Subject}' not sent (attempt {Attempt}: {Reason}); retrying in {Delay}.")]
    private partial void LogRetrying(string reason, string subject, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Email '{Subject}' given up after {Attempts} attempts.")]
    private partial void LogGivenUp(Exception error, string subject, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} queued emails were not sent before shutdown.")]
    private partial void LogUndelivered(int count);
}
