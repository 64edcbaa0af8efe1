using System.Text.RegularExpressions;
using WorkspaceApp.Features.ApiKeys;

namespace WorkspaceApp.Tests.Features.ApiKeys;

public sealed partial class ApiKeyFormatTests
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    [Fact]
    public void Ten_thousand_generated_keys_are_unique_match_the_format_and_pass_the_checksum()
    {
        var keys = Enumerable.Range(0, 10_000).Select(_ => ApiKeyFormat.Generate()).ToList();

        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, key =>
        {
            Assert.Matches(KeyPattern(), key);
            Assert.True(ApiKeyFormat.HasValidChecksum(key), key);
        });
        // 30 characters from a CSPRNG: every base62 character turns up in 10,000 keys.
        Assert.Equal(62, keys.SelectMany(k => k[4..34]).Distinct().Count());
    }

    [Theory]
    // CRC32 of the 30 characters, computed independently (Python's zlib.crc32), in six base62 digits.
    [InlineData("wsk_abcdefghijklmnopqrstuvwxyz0123" + "2LolCm")]
    [InlineData("wsk_000000000000000000000000000000" + "2C8GjS")]
    public void The_checksum_is_the_crc32_of_the_secret_in_base62(string key) =>
        Assert.True(ApiKeyFormat.HasValidChecksum(key));

    [Fact]
    public void Every_single_character_change_fails_the_checksum()
    {
        for (var n = 0; n < 5; n++)
        {
            var key = ApiKeyFormat.Generate();
            for (var position = 0; position < key.Length; position++)
            {
                foreach (var replacement in Base62 + "_-")
                {
                    if (replacement == key[position]) continue;
                    var changed = string.Concat(key.AsSpan(0, position), replacement.ToString(), key.AsSpan(position + 1));
                    Assert.False(ApiKeyFormat.HasValidChecksum(changed), $"{changed} (from {key}) passed the checksum");
                }
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wsk_")]
    [InlineData("sk-abcdefghijklmnopqrstuvwxyz01232LolCm")]
    [InlineData("wsk_abcdefghijklmnopqrstuvwxyz01232LolC")]
    [InlineData("wsk_abcdefghijklmnopqrstuvwxyz01232LolCmX")]
    [InlineData("WSK_abcdefghijklmnopqrstuvwxyz01232LolCm")]
    [InlineData(" wsk_abcdefghijklmnopqrstuvwxyz01232LolCm")]
    public void Malformed_keys_fail(string? key) => Assert.False(ApiKeyFormat.HasValidChecksum(key));

    [Fact]
    public void The_hint_shows_the_prefix_and_never_more_than_four_plus_four_characters()
    {
        for (var n = 0; n < 1_000; n++)
        {
            var key = ApiKeyFormat.Generate();
            var hint = ApiKeyFormat.Hint(key);

            Assert.Equal($"wsk_{key[4..8]}...{key[^4..]}", hint);
            var revealed = hint["wsk_".Length..].Replace("...", "", StringComparison.Ordinal);
            Assert.Equal(8, revealed.Length);
            // Nothing of the secret beyond its first four characters: the checksum tail is not part of it.
            Assert.DoesNotContain(key[8..34], hint, StringComparison.Ordinal);
            Assert.DoesNotContain(key[4..9], hint, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_hash_is_a_stable_sha256()
    {
        var key = ApiKeyFormat.Generate();

        Assert.Equal(32, ApiKeyFormat.Hash(key).Length);
        Assert.Equal(ApiKeyFormat.Hash(key), ApiKeyFormat.Hash(key));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(key)), ApiKeyFormat.Hash(key));
        Assert.NotEqual(ApiKeyFormat.Hash(key), ApiKeyFormat.Hash(ApiKeyFormat.Generate()));
    }

    [GeneratedRegex("^wsk_[0-9A-Za-z]{36}$")]
    private static partial Regex KeyPattern();
}
