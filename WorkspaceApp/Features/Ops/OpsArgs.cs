using System.Globalization;

namespace WorkspaceApp.Features.Ops;

/// <summary>The "--key value" options of an ops command.</summary>
public sealed class OpsArgs
{
    private readonly Dictionary<string, string> options;

    private OpsArgs(Dictionary<string, string> options) => this.options = options;

    public static OpsArgs Parse(IReadOnlyList<string> words)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < words.Count; i++)
        {
            if (!words[i].StartsWith("--", StringComparison.Ordinal) || words[i].Length == 2)
                throw new OpsException($"Unexpected argument '{words[i]}'.");
            var key = words[i][2..];
            if (i + 1 >= words.Count || words[i + 1].StartsWith("--", StringComparison.Ordinal))
                throw new OpsException($"Option --{key} needs a value.");
            options[key] = words[++i];
        }
        return new OpsArgs(options);
    }

    public string Required(string key) =>
        Optional(key) is { Length: > 0 } value ? value : throw new OpsException($"Missing required option --{key}.");

    public string? Optional(string key) => options.TryGetValue(key, out var value) ? value : null;

    public decimal RequiredDecimal(string key) =>
        decimal.TryParse(Required(key), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new OpsException($"Option --{key} must be a number, got '{Required(key)}'.");
}
