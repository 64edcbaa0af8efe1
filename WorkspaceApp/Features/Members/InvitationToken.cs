using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace WorkspaceApp.Features.Members;

/// <summary>The secret in an invitation link: 256 random bits, URL-safe; only its SHA-256 hash is stored.</summary>
public static class InvitationToken
{
    private const int Bytes = 32;
    private static readonly int Length = Base64Url.GetEncodedLength(Bytes);

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>False for anything that cannot be a token, so a mangled link never reaches the database.</summary>
    public static bool IsWellFormed(string? token) =>
        token is not null && token.Length == Length && Base64Url.IsValid(token);
}
