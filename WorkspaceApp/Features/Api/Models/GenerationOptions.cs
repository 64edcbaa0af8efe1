using System.Text.Json;

namespace WorkspaceApp.Features.Api.Models;

/// <summary>
/// The client's generation settings (temperature, top_p, stop, seed, ...), passed on to an upstream exactly as sent;
/// the built-in models ignore them. An allow-list, not everything the client sent: a field such as "n" (several
/// answers) would make the upstream produce more than the hold covers, so it never reaches the upstream.
/// </summary>
public sealed class GenerationOptions
{
    private static readonly HashSet<string> Forwarded =
    [
        "temperature", "top_p", "stop", "seed", "presence_penalty", "frequency_penalty", "logit_bias", "user",
        "response_format", "logprobs", "top_logprobs",
    ];

    public static readonly GenerationOptions None = new([]);

    private GenerationOptions(Dictionary<string, JsonElement> values) => Values = values;

    /// <summary>What the upstream receives besides the conversation, by field name.</summary>
    public IReadOnlyDictionary<string, JsonElement> Values { get; }

    /// <summary>The forwardable fields among those of the request the API itself does not read.</summary>
    public static GenerationOptions From(IReadOnlyDictionary<string, JsonElement>? unread) =>
        unread is null ? None : new(unread.Where(f => Forwarded.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value.Clone()));
}
