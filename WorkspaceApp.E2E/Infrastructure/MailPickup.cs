using System.Text.RegularExpressions;
using MimeKit;

namespace WorkspaceApp.E2E.Infrastructure;

/// <summary>Reads what the app sent from its email pickup folder (one .eml file per message), as a mail client would.</summary>
public sealed partial class MailPickup(string directory)
{
    public string Directory => directory;

    /// <summary>All messages so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> All() =>
        !System.IO.Directory.Exists(directory) ? [] :
        System.IO.Directory.GetFiles(directory, "*.eml").Order(StringComparer.Ordinal).Select(path => MimeMessage.Load(path)).ToList();

    public IReadOnlyList<MimeMessage> To(string address) =>
        All().Where(m => m.To.Mailboxes.Any(box => string.Equals(box.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>Waits (polling the folder; delivery is asynchronous) until a message to the address matches, or fails.</summary>
    public async Task<MimeMessage> WaitForAsync(string address, Func<MimeMessage, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var found = To(address).FirstOrDefault(m => match?.Invoke(m) ?? true);
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No email to {address} in {directory} (have: {string.Join("; ", All().Select(m => m.To + ": " + m.Subject))}).");
            await Task.Delay(50);
        }
    }

    /// <summary>The first absolute http(s) link in the plain-text body.</summary>
    public static string FirstLink(MimeMessage message) =>
        LinkPattern().Match(message.TextBody ?? "") is { Success: true } link ? link.Value
            : throw new InvalidOperationException($"No link in the email '{message.Subject}'.");

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex LinkPattern();
}
