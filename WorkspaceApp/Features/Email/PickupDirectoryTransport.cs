using Microsoft.Extensions.Options;
using MimeKit;

namespace WorkspaceApp.Features.Email;

/// <summary>
/// Writes each message as an .eml file (what IIS's and many mail servers' pickup folders read, and what mail clients
/// open). Written under a temporary name and renamed, so a reader never sees half a message.
/// </summary>
internal sealed class PickupDirectoryTransport(IOptions<EmailOptions> options, IHostEnvironment environment) : IEmailTransport
{
    private readonly string directory = Path.GetFullPath(options.Value.PickupDirectory, environment.ContentRootPath);

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(directory, name + ".tmp");
        await message.WriteToAsync(temporary, ct);
        File.Move(temporary, Path.Combine(directory, name + ".eml"));
    }
}
