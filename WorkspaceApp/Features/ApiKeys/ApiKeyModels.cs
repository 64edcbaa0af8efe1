namespace WorkspaceApp.Features.ApiKeys;

/// <summary>The outcome of a key action: a value, or a message the user can read.</summary>
public sealed record ApiKeyResult<T>(T? Value, string? Error)
{
    public bool Succeeded => Error is null;
}

public static class ApiKeyResult
{
    public static ApiKeyResult<T> Ok<T>(T value) => new(value, null);
    public static ApiKeyResult<T> Fail<T>(string error) => new(default, error);
}

/// <summary>
/// A key just generated or rotated. <see cref="Plaintext"/> exists only here, on its way to the
/// one-time reveal; nothing stores or logs it.
/// </summary>
public sealed record GeneratedApiKey(int Id, string Name, string Hint, string Plaintext)
{
    // Records print their members; keep the plaintext out of any accidental log line.
    public override string ToString() => $"GeneratedApiKey {{ Id = {Id}, Name = {Name}, Hint = {Hint} }}";
}

/// <summary>
/// A row of the API Keys list. SpentMicros: spent in the current window of the limit period; InGrace: rotated but
/// working until RevokedAtUtc; IsExpired: past Limits.ExpiresAtUtc.
/// </summary>
public sealed record ApiKeyRow(
    int Id,
    string Name,
    string Hint,
    ApiKeyStatus Status,
    string CreatedByName,
    DateTime CreatedAtUtc,
    DateTime? LastUsedAtUtc,
    DateTime? RevokedAtUtc,
    string? RevokedByName,
    int? ReplacedByKeyId,
    ApiKeyLimits? Limits = null,
    long SpentMicros = 0,
    bool InGrace = false,
    bool IsExpired = false)
{
    public bool IsActive => Status == ApiKeyStatus.Active;
}

public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";
    public int MaxActiveKeysPerWorkspace { get; set; } = 25;
}

/// <summary>The name rules, shared by the service, the dialog and the ops command line.</summary>
public static class ApiKeyNames
{
    public const int MaxLength = 64;

    public static string? Validate(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return "Give the key a name, for example Production or My app.";
        if (trimmed.Length > MaxLength) return $"The name can have at most {MaxLength} characters.";
        return null;
    }

    public static string Taken(string name) => $"An active key named \"{name}\" already exists. Choose another name.";
}
