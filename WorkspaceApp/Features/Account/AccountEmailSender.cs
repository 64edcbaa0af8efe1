using System.Net;
using Microsoft.AspNetCore.Identity;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Email;

namespace WorkspaceApp.Features.Account;

/// <summary>Identity's messages (confirmation, password reset) as plain text and HTML, through the email outbox.</summary>
public sealed class AccountEmailSender(IEmailOutbox outbox) : IEmailSender<AppUser>
{
    public Task SendConfirmationLinkAsync(AppUser user, string email, string confirmationLink) =>
        Send(email, "Confirm your email address", "Please confirm this email address for your WorkspaceApp account.", "Confirm my email", confirmationLink);

    public Task SendPasswordResetLinkAsync(AppUser user, string email, string resetLink) =>
        Send(email, "Reset your password",
            "Someone (hopefully you) asked to reset the password of your WorkspaceApp account. The link works once. If it was not you, ignore this message: your password stays as it is.",
            "Choose a new password", resetLink);

    public Task SendPasswordResetCodeAsync(AppUser user, string email, string resetCode) =>
        outbox.EnqueueAsync(new EmailMessage(email, "Your password reset code",
            $"Your WorkspaceApp password reset code: {resetCode}",
            $"<p>Your WorkspaceApp password reset code: <strong>{WebUtility.HtmlEncode(resetCode)}</strong></p>"));

    /// <summary>Sent instead of a second account, so that the registration form never tells whether an email is taken.</summary>
    public Task SendRegistrationAttemptAsync(string email, string loginLink, string resetLink)
    {
        const string text = "Someone tried to create a WorkspaceApp account with this email address, which already has one. " +
            "If it was you, log in instead; if you forgot your password, reset it. If it was not you, you can ignore this message.";
        return outbox.EnqueueAsync(new EmailMessage(email, "You already have an account",
            $"{text}\n\nLog in: {loginLink}\nReset your password: {resetLink}\n",
            $"<p>{WebUtility.HtmlEncode(text)}</p><p><a href=\"{WebUtility.HtmlEncode(loginLink)}\">Log in</a> · " +
            $"<a href=\"{WebUtility.HtmlEncode(resetLink)}\">Reset your password</a></p>"));
    }

    private Task Send(string to, string subject, string text, string action, string link) =>
        outbox.EnqueueAsync(new EmailMessage(to, subject,
            $"{text}\n\n{action}: {link}\n",
            $"<p>{WebUtility.HtmlEncode(text)}</p><p><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(action)}</a></p>" +
            $"<p>Or copy this address into your browser: {WebUtility.HtmlEncode(link)}</p>"));
}
