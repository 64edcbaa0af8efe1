using Microsoft.Extensions.Options;

namespace WorkspaceApp.Features.Api.Models;

/// <summary>The models the API offers: every registered chat or embeddings model that has a price.</summary>
public sealed class ModelCatalog(IEnumerable<IChatModel> chat, IEnumerable<IEmbeddingModel> embedding, IOptionsMonitor<PricingOptions> pricing)
{
    private readonly Dictionary<string, IChatModel> chatById = chat.ToDictionary(m => m.Id, StringComparer.Ordinal);
    private readonly Dictionary<string, IEmbeddingModel> embeddingById = embedding.ToDictionary(m => m.Id, StringComparer.Ordinal);

    /// <summary>Each model once, even one (an upstream's) that serves both endpoints.</summary>
    public IEnumerable<IApiModel> Models => chatById.Values.Cast<IApiModel>().Concat(embeddingById.Values)
        .DistinctBy(m => m.Id).Where(m => pricing.CurrentValue.Models.ContainsKey(m.Id)).OrderBy(m => m.Id, StringComparer.Ordinal);

    public bool TryGet(string id, out IChatModel model, out ModelPrice price) => TryGet(chatById, id, out model, out price);

    public bool TryGetEmbedding(string id, out IEmbeddingModel model, out ModelPrice price) => TryGet(embeddingById, id, out model, out price);

    private bool TryGet<T>(Dictionary<string, T> models, string id, out T model, out ModelPrice price)
    {
        model = default!;
        price = null!;
        return pricing.CurrentValue.Models.TryGetValue(id, out price!) && models.TryGetValue(id, out model!);
    }
}
