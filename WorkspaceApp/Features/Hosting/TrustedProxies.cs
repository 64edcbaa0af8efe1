using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace WorkspaceApp.Features.Hosting;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto are honoured only from the proxies listed in ForwardedHeaders:KnownProxies
/// (IP addresses) and ForwardedHeaders:KnownNetworks (CIDR ranges). Nothing listed: no proxy is trusted, not even
/// loopback (the framework's default), so a client can never choose the address the per-IP limits see.
/// </summary>
public static class TrustedProxies
{
    public const string Section = "ForwardedHeaders";

    public static void AddTrustedProxies(this WebApplicationBuilder builder)
    {
        // Read now so that a bad entry stops the app at start, naming the setting.
        var section = builder.Configuration.GetSection(Section);
        var proxies = Entries(section, "KnownProxies").Select(entry => Parse<IPAddress>(entry, "KnownProxies", (string text, out IPAddress value) => IPAddress.TryParse(text, out value!))).ToList();
        var networks = Entries(section, "KnownNetworks").Select(entry => Parse<System.Net.IPNetwork>(entry, "KnownNetworks", System.Net.IPNetwork.TryParse)).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Empty lists would make the middleware trust everyone: with no proxy configured it reads no header at all.
            options.ForwardedHeaders = proxies.Count + networks.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            // The obsolete list is still consulted, and holds loopback by default.
#pragma warning disable ASPDEPR005
            options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in proxies) options.KnownProxies.Add(proxy);
            foreach (var network in networks) options.KnownIPNetworks.Add(network);
            // A chain of trusted proxies is walked back to the first address that is not one of them.
            options.ForwardLimit = null;
        });
    }

    // Either a list (ForwardedHeaders:KnownProxies:0=...) or one comma-separated value (ForwardedHeaders__KnownProxies=a,b).
    private static IEnumerable<string> Entries(IConfigurationSection parent, string key)
    {
        var section = parent.GetSection(key);
        var values = section.GetChildren().Select(child => child.Value).Append(section.Value);
        return values.SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static T Parse<T>(string entry, string key, TryParse<T> tryParse) =>
        tryParse(entry, out var value) ? value : throw new ConfigurationException(
            $"{Section}:{key}: \"{entry}\" is not {(key == "KnownProxies" ? "an IP address (e.g. 10.0.0.5)" : "a network in CIDR notation (e.g. 10.0.0.0/8)")}.");
}
