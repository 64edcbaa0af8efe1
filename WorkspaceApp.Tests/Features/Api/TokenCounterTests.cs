using Microsoft.ML.Tokenizers;
using WorkspaceApp.Features.Api;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>Counting in bounded chunks changes no count of ordinary text: only runs of hundreds of characters without a break are cut.</summary>
public sealed class TokenCounterTests
{
    private static readonly TiktokenTokenizer Whole = TiktokenTokenizer.CreateForEncoding("o200k_base");
    private readonly TokenCounter counter = new();

    public static TheoryData<string> OrdinaryTexts()
    {
        var random = new Random(8);
        string Pick(string[] parts, int count, string separator) => string.Join(separator, Enumerable.Range(0, count).Select(_ => parts[random.Next(parts.Length)]));
        var words = "The quick brown fox jumps over the lazy dog, and then it said: 'I'm tired.' Über straße 123456 €€ 日本語のテキスト 🙂🙂 it's we'll".Split(' ');
        var code = new[] { "if (x) {", "    return y;", "}", "// a comment", "/path/to/file.cs", "\tindented\ttabs", "var s = \"text\";", "", "  - item", "https://example.com/a?b=c" };
        return new TheoryData<string>
        {
            Pick(words, 20_000, " "),
            Pick(words, 20_000, "\n"),
            Pick(code, 5_000, "\n"),
            Pick(code, 5_000, "\r\n"),
            Pick(words, 5_000, "  ") + "\n\n\n" + Pick(words, 5_000, " \n "),
        };
    }

    [Theory]
    [MemberData(nameof(OrdinaryTexts))]
    public void Ordinary_text_counts_exactly_as_the_whole_text_does(string text)
    {
        Assert.Equal(Whole.CountTokens(text), counter.Count(text));
    }

    [Theory]
    [MemberData(nameof(OrdinaryTexts))]
    public void Truncating_ordinary_text_cuts_where_the_whole_text_would(string text)
    {
        foreach (var maxTokens in new[] { 1, 7, 100, 5_000 })
        {
            var index = Whole.GetIndexByTokenCount(text, maxTokens, out _, out _);
            Assert.Equal(text[..index], counter.Truncate(text, maxTokens));
        }
    }

    [Fact]
    public void Counting_can_be_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => counter.Count(new string('a', 10_000), cancelled.Token));
    }
}
