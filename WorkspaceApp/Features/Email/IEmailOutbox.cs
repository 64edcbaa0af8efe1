namespace WorkspaceApp.Features.Email;

/// <summary>
/// The one way features send email. EnqueueAsync stores the message and returns: delivery happens in the background
/// (after a restart too), is retried, and a failure is logged without ever failing the action that asked for it.
/// </summary>
public interface IEmailOutbox
{
    Task EnqueueAsync(EmailMessage message, CancellationToken ct = default);
}
