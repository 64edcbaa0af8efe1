namespace WorkspaceApp.Features.Api;

/// <summary>Limits of the workspace API ("Api" section).</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>The output a request may produce when it names no max_tokens; also what its hold assumes.</summary>
    public int DefaultMaxTokens { get; set; } = 1024;

    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public int MaxRequestBytes { get; set; } = 1_000_000;

    /// <summary>Longest content of one message, and of all messages together, in characters; longer gets 400.</summary>
    public int MaxMessageChars { get; set; } = 200_000;
    public int MaxPromptChars { get; set; } = 400_000;

    /// <summary>Most texts in one embeddings request (OpenAI's own limit); each is bounded like a message, all like a prompt.</summary>
    public int MaxEmbeddingInputs { get; set; } = 2048;

    /// <summary>Requests per key, and per workspace (all its keys), per window; the rest get 429 with Retry-After.</summary>
    public int RateLimitPermits { get; set; } = 6000;
    public int WorkspaceRateLimitPermits { get; set; } = 30_000;
    public int RateLimitWindowSeconds { get; set; } = 60;

    /// <summary>Failed key authentications per client IP per window; past it, that IP's bad keys get 429.</summary>
    public int FailedAuthPermitsPerIp { get; set; } = 100;
    public int FailedAuthWindowSeconds { get; set; } = 60;

    /// <summary>Most credit writes committed together (group commit); 1 commits every hold and settlement alone.</summary>
    public int MeterBatchSize { get; set; } = 512;

    /// <summary>A hold older than this belongs to a request that died: its credits are released.</summary>
    public int HoldTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// An instance whose heartbeat (every 5 s) is older than this is dead: its holds are released by the others (and
    /// by the next start). At least <see cref="MinInstanceTimeoutSeconds"/>, so that a live instance is never taken for dead.
    /// </summary>
    public int InstanceTimeoutSeconds { get; set; } = 60;

    public const int MinInstanceTimeoutSeconds = 15;

    /// <summary>
    /// Longest time a key's resolution (key, workspace, plan) is served from memory. Changes made through the app
    /// evict it at once on every instance; this bounds what eviction cannot see (a change made in another process on SQLite).
    /// </summary>
    public int KeyCacheSeconds { get; set; } = 30;
}

/// <summary>Prices in credits per million tokens, keyed by model id ("Pricing:Models:echo-1:InputPerMillion").</summary>
public sealed class PricingOptions
{
    public const string Section = "Pricing";
    public Dictionary<string, ModelPrice> Models { get; set; } = new(StringComparer.Ordinal);
}

public sealed class ModelPrice
{
    // Nullable so that a price left out of the configuration is refused at start instead of being free.
    public decimal? InputPerMillion { get; set; }
    public decimal? OutputPerMillion { get; set; }

    /// <summary>
    /// Credits per million tokens is exactly micro-credits per token, so the cost is tokens x price,
    /// rounded up to a whole micro-credit.
    /// </summary>
    public long CostMicros(int inputTokens, int outputTokens) =>
        (long)Math.Ceiling(inputTokens * InputPerMillion!.Value + outputTokens * OutputPerMillion!.Value);
}
