using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api.Models;
using WorkspaceApp.Features.Billing;

namespace WorkspaceApp.Features.Api;

public static class ApiEndpoints
{
    /// <summary>The OpenAI-compatible /v1 routes, all behind key authentication and the rate limits (<see cref="ApiRateLimits"/>).</summary>
    public static void MapWorkspaceApiEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1")
            .AddEndpointFilter<UnavailableFilter>()
            .AddEndpointFilter<ApiKeyAuthentication>()
            .DisableAntiforgery();

        v1.MapGet("/models", (ModelCatalog catalog) => TypedResults.Ok(new ModelList("list",
            catalog.Models.Select(m => new ModelInfo(m.Id, "model", 1_767_225_600, m.OwnedBy)).ToList())));

        v1.MapGet("/credits", async (HttpContext http, IDbContextFactory<AppDbContext> dbFactory) =>
        {
            var caller = ApiKeyAuthentication.Caller(http);
            await using var db = await dbFactory.CreateDbContextAsync(http.RequestAborted);
            var balance = await db.Workspaces.Where(w => w.Id == caller.WorkspaceId)
                .Select(w => new { w.BalanceMicros, w.HeldMicros }).FirstAsync(http.RequestAborted);
            return TypedResults.Ok(new CreditBalance("credit_balance", Money.Format(balance.BalanceMicros),
                Money.Format(balance.BalanceMicros - balance.HeldMicros), "EUR"));
        });

        v1.MapPost("/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        v1.MapPost("/embeddings", EmbeddingsEndpoint.HandleAsync);
    }
}

public sealed record CreditBalance(
    [property: System.Text.Json.Serialization.JsonPropertyName("object")] string ObjectType,
    [property: System.Text.Json.Serialization.JsonPropertyName("balance")] string Balance,
    [property: System.Text.Json.Serialization.JsonPropertyName("available")] string Available,
    [property: System.Text.Json.Serialization.JsonPropertyName("currency")] string Currency);
