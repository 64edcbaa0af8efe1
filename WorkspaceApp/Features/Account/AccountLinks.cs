using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Email;

namespace WorkspaceApp.Features.Account;

/// <summary>Makes Identity's single-use tokens into links (from App:PublicUrl) and mails them.</summary>
public sealed class AccountLinks(UserManager<AppUser> users, AccountEmailSender sender, PublicUrls urls)
{
    public async Task SendEmailConfirmationAsync(AppUser user)
    {
        var code = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        await sender.SendConfirmationLinkAsync(user, user.Email!, Link("Account/ConfirmEmail", ("userId", user.Id), ("code", code)));
    }

    /// <summary>The link goes to the new address: the change happens only when its owner opens it.</summary>
    public async Task SendEmailChangeAsync(AppUser user, string newEmail)
    {
        var code = Encode(await users.GenerateChangeEmailTokenAsync(user, newEmail));
        await sender.SendConfirmationLinkAsync(user, newEmail,
            Link("Account/ConfirmEmailChange", ("userId", user.Id), ("email", newEmail), ("code", code)));
    }

    /// <summary>Reset tokens carry the security stamp, which the reset changes: each link works once.</summary>
    public async Task SendPasswordResetAsync(AppUser user)
    {
        var code = Encode(await users.GeneratePasswordResetTokenAsync(user));
        await sender.SendPasswordResetLinkAsync(user, user.Email!, Link("Account/ResetPassword", ("code", code)));
    }

    public Task SendRegistrationAttemptAsync(string email) =>
        sender.SendRegistrationAttemptAsync(email, Link("Account/Login"), Link("Account/ForgotPassword"));

    /// <summary>The token in a link's "code", or null when the link was cut or altered.</summary>
    public static string? Decode(string? code)
    {
        if (string.IsNullOrEmpty(code)) return null;
        try { return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code)); }
        catch (FormatException) { return null; }
    }

    private static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    private string Link(string path, params (string Name, string Value)[] query) =>
        urls.Absolute(query.Length == 0 ? path : path + QueryString.Create(query.Select(q => KeyValuePair.Create(q.Name, (string?)q.Value))));
}
