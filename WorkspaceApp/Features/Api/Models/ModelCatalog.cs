using Microsoft.Extensions.Options;

namespace WorkspaceApp.Features.Api.Models;

/// <summary>The models the API offers: every registered model that has a price.</summary>
public sealed class ModelCatalog(IEnumerable<IChatModel> models, IOptionsMonitor<PricingOptions> pricing)
{
    private readonly Dictionary<string, IChatModel> byId = models.ToDictionary(m => m.Id, StringComparer.Ordinal);

    public IEnumerable<string> Ids => byId.Keys.Where(id => pricing.CurrentValue.Models.ContainsKey(id)).Order(StringComparer.Ordinal);

    public bool TryGet(string id, out IChatModel model, out ModelPrice price)
    {
        model = null!;
        price = null!;
        return pricing.CurrentValue.Models.TryGetValue(id, out price!) && byId.TryGetValue(id, out model!);
    }
}
