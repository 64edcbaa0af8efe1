using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MimeKit;

namespace WorkspaceApp.Features.Email;

/// <summary>Where mail goes: a pickup folder of .eml files (default, nothing to set up), or an SMTP server.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>Relative paths resolve against the app's content root. Created when missing.</summary>
    [Required]
    public string PickupDirectory { get; set; } = "data/mail";

    [Required]
    public string From { get; set; } = "WorkspaceApp <no-reply@workspaceapp.localhost>";

    /// <summary>Delivery attempts per message before it is given up (and logged as lost).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first retry waits this long, each next one twice as long (at most five minutes).</summary>
    [Range(0.01, 300)]
    public double RetryDelaySeconds { get; set; } = 2;

    public SmtpOptions Smtp { get; set; } = new();

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);
}

public enum SmtpSecurity
{
    /// <summary>TLS when the server offers it (STARTTLS), plain otherwise: MailKit's Auto.</summary>
    Auto,
    StartTls,
    SslOnConnect,
    None,
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
}

/// <summary>Half-set SMTP settings stop the start: a user without a password (or the reverse), an unparsable sender.</summary>
internal sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        if (!MailboxAddress.TryParse(options.From, out var from) || !from.Address.Contains('@', StringComparison.Ordinal))
            return ValidateOptionsResult.Fail($"Email:From '{options.From}' is not an email address (e.g. 'WorkspaceApp <no-reply@example.com>').");
        var smtp = options.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.UserName) != string.IsNullOrWhiteSpace(smtp.Password))
            return ValidateOptionsResult.Fail("Email:Smtp:UserName and Email:Smtp:Password must be set together.");
        if (!options.UsesSmtp && !string.IsNullOrWhiteSpace(smtp.UserName))
            return ValidateOptionsResult.Fail("Email:Smtp:UserName is set but Email:Smtp:Host is not.");
        return ValidateOptionsResult.Success;
    }
}
