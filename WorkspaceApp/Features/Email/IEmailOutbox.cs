namespace WorkspaceApp.Features.Email;

/// <summary>
/// The one way features send email. Enqueue returns at once: delivery happens in the background, is retried, and a
/// failure is logged without ever failing the action that asked for the message.
/// </summary>
public interface IEmailOutbox
{
    void Enqueue(EmailMessage message);
}
