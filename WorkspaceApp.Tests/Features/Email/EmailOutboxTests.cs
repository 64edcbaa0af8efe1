using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using WorkspaceApp.Features.Email;
using WorkspaceApp.Data;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Email;

public class EmailOutboxTests
{
    private static readonly EmailMessage Hello = new("ada@example.com", "Hello from the team", "Open http://example.com/x to join.", "<p>Open <a href=\"http://example.com/x\">the link</a> to join.</p>");

    [Fact]
    public async Task By_default_each_message_becomes_an_eml_file_in_the_pickup_folder_with_text_and_html()
    {
        using var app = new AppFactory();
        await app.Services.GetRequiredService<IEmailOutbox>().EnqueueAsync(Hello);

        var mail = await app.Mail.WaitForAsync("ada@example.com");

        Assert.Equal("Hello from the team", mail.Subject);
        Assert.Equal("no-reply@workspaceapp.localhost", mail.From.Mailboxes.Single().Address);
        Assert.Contains("to join.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("http://example.com/x", MailPickup.FirstLink(mail));
        Assert.Empty(Directory.GetFiles(app.Mail.Directory, "*.tmp"));
    }

    [Fact]
    public async Task With_an_smtp_host_mail_goes_through_mailkit_to_the_server_and_a_refusal_is_retried()
    {
        await using var smtp = new LocalSmtpServer(refuseFirst: 2);
        using var app = new AppFactory()
            .With("Email:Smtp:Host", "127.0.0.1").With("Email:Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Email:Smtp:Security", "None").With("Email:Smtp:UserName", "mailer").With("Email:Smtp:Password", "s3cret")
            .With("Email:From", "Billing <billing@example.com>").With("Email:RetryDelaySeconds", "0.02");

        await app.Services.GetRequiredService<IEmailOutbox>().EnqueueAsync(Hello);
        var delivered = await WaitAsync(() => smtp.Received.Count > 0 ? smtp.Received[0] : null);

        Assert.Equal(2, smtp.Refused);
        Assert.Equal("mailer", smtp.AuthenticatedAs);
        Assert.Equal("Hello from the team", delivered.Subject);
        Assert.Equal("billing@example.com", delivered.From.Mailboxes.Single().Address);
        Assert.Empty(app.Mail.All()); // SMTP replaces the pickup folder
    }

    [Fact]
    public async Task A_message_that_cannot_be_delivered_is_given_up_after_the_attempts_and_the_next_one_still_goes()
    {
        await using var smtp = new LocalSmtpServer(refuseFirst: 3);
        using var app = new ServicesAppFactory(DatabaseProvider.Sqlite, _ => { });
        app.With("Email:Smtp:Host", "127.0.0.1").With("Email:Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Email:Smtp:Security", "None").With("Email:MaxAttempts", "3").With("Email:RetryDelaySeconds", "0.02");
        var outbox = app.Services.GetRequiredService<IEmailOutbox>();

        await outbox.EnqueueAsync(Hello);
        await outbox.EnqueueAsync(Hello with { Subject = "Second" });
        var delivered = await WaitAsync(() => smtp.Received.Count > 0 ? smtp.Received[0] : null);

        Assert.Equal("Second", delivered.Subject);
        Assert.Contains(app.Logs.Lines, line => line.Contains("'Hello from the team' given up after 3 attempts", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains("example.com/x", StringComparison.Ordinal)); // bodies carry links: never logged
    }

    [Fact]
    public async Task Mail_waiting_when_the_app_stops_is_kept_encrypted_in_the_database_and_sent_in_order_after_the_next_start()
    {
        await using var smtp = new LocalSmtpServer(refuseFirst: 1);
        using var app = new ServicesAppFactory(DatabaseProvider.Sqlite, _ => { });
        app.With("Email:Smtp:Host", "127.0.0.1").With("Email:Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Email:Smtp:Security", "None").With("Email:RetryDelaySeconds", "300");
        var outbox = app.Services.GetRequiredService<EmailOutbox>();
        await outbox.EnqueueAsync(Hello);
        await outbox.EnqueueAsync(Hello with { Subject = "Second" });
        await outbox.EnqueueAsync(Hello with { Subject = "Third" });
        await Eventually.WaitAsync(() => Task.FromResult(smtp.Refused > 0), TimeSpan.FromSeconds(15), "the first message is refused");

        await outbox.StopAsync(CancellationToken.None); // as at shutdown: the first waits 300 s for its next attempt

        Assert.Contains(app.Logs.Lines, line => line.Contains("3 emails wait in the outbox; they are sent after the next start", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains("BackgroundService failed", StringComparison.Ordinal));
        await using (var scope = app.CreateScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxEmails.OrderBy(e => e.Id).ToListAsync();
            Assert.Equal(["Hello from the team", "Second", "Third"], stored.Select(e => e.Subject));
            Assert.Equal([1, 0, 0], stored.Select(e => e.Attempts));
            Assert.All(stored, e => Assert.DoesNotContain("example.com/x", e.ProtectedBody, StringComparison.Ordinal)); // links are not stored readable
            Assert.Null(stored[0].ClaimedUntilUtc); // given back at the stop: the next start need not wait for the claim
        }

        await outbox.StartAsync(CancellationToken.None);
        await Eventually.WaitAsync(() => Task.FromResult(smtp.Received.Count == 3), TimeSpan.FromSeconds(15), "the three waiting messages are delivered");
        var all = smtp.Received;

        Assert.Equal(["Hello from the team", "Second", "Third"], all.Select(m => m.Subject));
        Assert.Contains("to join.", all[0].TextBody, StringComparison.Ordinal);
        await using var after = app.CreateScope();
        Assert.Equal(0, await after.ServiceProvider.GetRequiredService<AppDbContext>().OutboxEmails.CountAsync());
    }

    [Theory]
    [InlineData("Email:Smtp:UserName and Email:Smtp:Password must be set together", "Email:Smtp:Host=smtp.example.com", "Email:Smtp:UserName=mailer")]
    [InlineData("Email:Smtp:UserName is set but Email:Smtp:Host is not", "Email:Smtp:UserName=mailer", "Email:Smtp:Password=x")]
    [InlineData("Email:From 'nobody' is not an email address", "Email:From=nobody")]
    public void Half_set_email_settings_stop_the_app_naming_the_setting(string expected, params string[] settings)
    {
        var app = new AppFactory();
        foreach (var setting in settings) app.With(setting.Split('=')[0], setting.Split('=', 2)[1]);
        using var _ = app;

        var refused = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    private static async Task<MimeMessage> WaitAsync(Func<MimeMessage?> received)
    {
        await Eventually.WaitAsync(() => Task.FromResult(received() is not null), TimeSpan.FromSeconds(15), "the SMTP server receives a message");
        return received()!;
    }
}
