using System.Text;
using QRCoder;

namespace WorkspaceApp.Features.Account;

/// <summary>What an authenticator app needs: the key in readable groups and the otpauth:// URI as a QR code.</summary>
public static class AuthenticatorSetup
{
    public const string Issuer = "WorkspaceApp";

    /// <summary>The key in groups of four, lower case: easier to type; apps ignore spaces and case.</summary>
    public static string FormatKey(string key)
    {
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0) result.Append(' ');
            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return result.ToString().ToLowerInvariant();
    }

    public static string Uri(string email, string key) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(email)}?secret={key}&issuer={System.Uri.EscapeDataString(Issuer)}&digits=6";

    /// <summary>A PNG data URI (the Content-Security-Policy admits data: images, and nothing leaves the server).</summary>
    public static string QrCodeDataUri(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }
}
