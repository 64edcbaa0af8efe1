using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WorkspaceApp.Features.Email;

/// <summary>
/// Absolute links for messages read outside the app (emails): from App:PublicUrl when set (the address users reach
/// behind a proxy), otherwise the first address the app listens on.
/// </summary>
public sealed class PublicUrls(IConfiguration configuration, IServer server)
{
    public string Absolute(string relativePath)
    {
        var root = configuration["App:PublicUrl"]
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://localhost";
        return new Uri(new Uri(root.TrimEnd('/') + "/"), relativePath.TrimStart('/')).ToString();
    }
}
