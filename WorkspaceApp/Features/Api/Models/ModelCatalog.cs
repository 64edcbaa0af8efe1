using Microsoft.Extensions.Options;

namespace WorkspaceApp.Features.Api.Models;

/// <summary>The models the API offers: every registered model that has a price.</summary>
public sealed class ModelCatalog(IEnumerable<IChatModel> models, IOptionsMonitor<PricingOptions> pricing)
{
    private readonly Dictionary<string, IChatModel> byId = models.ToDictionary(m => m.Id, StringComparer.Ordinal);

    public IEnumerable<IChatModel> Models => byId.Values.Where(m => pricing.CurrentValue.Models.ContainsKey(m.Id)).OrderBy(m => m.Id, StringComparer.Ordinal);

    public bool TryGet(string id, out IChatModel model, out ModelPrice price)
    {
        model = null!;
        price = null!;
        return pricing.CurrentValue.Models.TryGetValue(id, out price!) && byId.TryGetValue(id, out model!);
    }
}
