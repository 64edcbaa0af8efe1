using Microsoft.ML.Tokenizers;

namespace WorkspaceApp.Features.Api;

/// <summary>Counts tokens with OpenAI's o200k_base encoding (the vocabulary ships in a NuGet package, no download).</summary>
public sealed class TokenCounter
{
    private readonly TiktokenTokenizer tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");

    public int Count(string text) => tokenizer.CountTokens(text);

    /// <summary>The longest prefix of <paramref name="text"/> that fits in <paramref name="maxTokens"/> tokens.</summary>
    public string Truncate(string text, int maxTokens)
    {
        var index = tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out _);
        return text[..index];
    }
}
