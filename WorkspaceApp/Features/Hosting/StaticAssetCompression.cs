using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace WorkspaceApp.Features.Hosting;

/// <summary>
/// Compresses the CSS and JavaScript that MapStaticAssets serves without a precompressed copy. The SDK precompresses
/// the app's own files, but not the fingerprinted addresses of package assets that the pages link
/// (_content/MudBlazor/MudBlazor.min.{hash}.css, 627 KB) nor _framework/blazor.web.js. These are cached as immutable,
/// so each browser pays the compression once. Only static text types: pages and API answers are never compressed here
/// (no secret next to attacker-chosen text in a compressed body, so BREACH does not apply).
/// </summary>
public static class StaticAssetCompression
{
    private static readonly string[] StaticTextTypes = ["text/css", "text/javascript", "application/javascript"];

    public static void AddStaticAssetCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.MimeTypes = StaticTextTypes;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
        // Fastest: a 627 KB stylesheet compresses in milliseconds, still to about a tenth of its size.
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
    }

    /// <summary>Before MapStaticAssets. Responses that already carry a Content-Encoding (precompressed files) pass through.</summary>
    public static void UseStaticAssetCompression(this WebApplication app) => app.UseResponseCompression();
}
