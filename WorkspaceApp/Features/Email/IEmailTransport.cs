using MimeKit;

namespace WorkspaceApp.Features.Email;

/// <summary>Hands one finished message to the outside world. Throws when it could not (the outbox retries).</summary>
public interface IEmailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}
