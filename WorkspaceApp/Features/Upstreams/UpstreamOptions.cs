namespace WorkspaceApp.Features.Upstreams;

/// <summary>
/// OpenAI-compatible providers the API forwards to ("Upstreams:&lt;name&gt;:..."), keyed by the upstream's name,
/// which /v1/models shows as the owner of its models.
/// </summary>
public sealed class UpstreamsOptions
{
    public const string Section = "Upstreams";
    public Dictionary<string, UpstreamOptions> All { get; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class UpstreamOptions
{
    /// <summary>The provider's API root, for example https://api.openai.com/v1 (requests go to {BaseUrl}/chat/completions).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Sent as "Authorization: Bearer ..." to the upstream only; never shown, logged or echoed.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one request may wait for the upstream, retries included; past it the client gets 504.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Our model id (the key, priced in Pricing:Models) -> the model's id at the upstream (the value).</summary>
    public Dictionary<string, string> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The chat completions URL: BaseUrl with exactly one slash before "chat/completions".</summary>
    public Uri ChatCompletionsUrl => new(BaseUrl!.TrimEnd('/') + "/chat/completions");

    /// <summary>The embeddings URL, {BaseUrl}/embeddings: a model id configured here may be a chat or an embeddings model.</summary>
    public Uri EmbeddingsUrl => new(BaseUrl!.TrimEnd('/') + "/embeddings");
}
