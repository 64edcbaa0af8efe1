using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace WorkspaceApp.Features.ApiKeys;

/// <summary>
/// The key format: "wsk_" + 30 random base62 characters + 6 base62 characters of the CRC32 of those 30
/// (GitHub's token scheme). The prefix lets secret scanners find leaked keys; the checksum lets the API
/// refuse a mistyped or made-up key without touching the database.
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "wsk_";
    public const int SecretLength = 30;
    public const int ChecksumLength = 6;
    public const int Length = 4 + SecretLength + ChecksumLength;

    /// <summary>How many characters of the key the hint shows at each end (after the prefix).</summary>
    public const int HintChars = 4;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Generate()
    {
        var secret = RandomNumberGenerator.GetString(Alphabet, SecretLength);
        Span<char> checksum = stackalloc char[ChecksumLength];
        WriteChecksum(secret, checksum);
        return string.Concat(Prefix, secret, checksum);
    }

    /// <summary>True when the key has the prefix, the length, only base62 characters and a matching checksum.</summary>
    public static bool HasValidChecksum([NotNullWhen(true)] string? key)
    {
        if (key is null || key.Length != Length || !key.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var body = key.AsSpan(Prefix.Length);
        foreach (var c in body)
        {
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        }
        Span<char> expected = stackalloc char[ChecksumLength];
        WriteChecksum(body[..SecretLength], expected);
        return body[SecretLength..].SequenceEqual(expected);
    }

    /// <summary>The SHA-256 of the key: what the database stores and looks up (unique index).</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>"wsk_AbCd...wxyz": the first and last four characters after the prefix, never more.</summary>
    public static string Hint(string key)
    {
        if (key.Length < Prefix.Length + 2 * HintChars) throw new ArgumentException("Not an API key.", nameof(key));
        return string.Concat(Prefix, key.AsSpan(Prefix.Length, HintChars), "...", key.AsSpan(key.Length - HintChars));
    }

    private static void WriteChecksum(ReadOnlySpan<char> secret, Span<char> destination)
    {
        Span<byte> bytes = stackalloc byte[SecretLength];
        for (var i = 0; i < secret.Length; i++) bytes[i] = (byte)secret[i];
        Span<byte> crc = stackalloc byte[4];
        Crc32.Hash(bytes, crc);
        var value = BinaryPrimitives.ReadUInt32LittleEndian(crc);
        // 62^6 > 2^32, so six base62 digits (most significant first, zero-padded) hold any CRC32.
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }
    }
}
