using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Email;

/// <summary>
/// The one way features send email. A message is stored and delivered in the background (after a restart too), is
/// retried, and a failure is logged without ever failing the action that asked for it.
/// </summary>
public interface IEmailOutbox
{
    /// <summary>Stores the message on its own and starts its delivery.</summary>
    Task EnqueueAsync(EmailMessage message, CancellationToken ct = default);

    /// <summary>
    /// Adds the message to <paramref name="db"/>'s pending changes: the caller's SaveChanges stores it in the caller's
    /// transaction, so an action and its email are committed together or not at all (a claimed alert never loses its
    /// email, a rolled-back invitation never sends one). Call <see cref="Wake"/> after the commit.
    /// </summary>
    void Add(AppDbContext db, EmailMessage message);

    /// <summary>Starts delivering what was committed; without it, messages added to a transaction go out on the next beat.</summary>
    void Wake();
}
