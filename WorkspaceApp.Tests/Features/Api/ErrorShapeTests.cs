using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>Every /v1 answer is OpenAI-shaped JSON, also where the framework would answer with an HTML page.</summary>
public sealed class ErrorShapeTests : IDisposable
{
    private readonly AppFactory app = new();

    [Theory]
    [InlineData("/v1/nope")]
    [InlineData("/v1/chat/completions/extra")]
    [InlineData("/v1/engines/echo-1/completions.json")]
    [InlineData("/v1")]
    public async Task An_unknown_route_gets_404_json_not_the_not_found_page(string path)
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 1);
        using var client = workspace.Client(app);

        var response = await client.GetAsync(path);

        await AssertJsonErrorAsync(response, HttpStatusCode.NotFound, "unknown_url");
    }

    [Theory]
    [InlineData("GET", "/v1/chat/completions")]
    [InlineData("DELETE", "/v1/models")]
    [InlineData("PUT", "/v1/credits")]
    public async Task A_wrong_method_gets_405_json(string method, string path)
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 1);
        using var client = workspace.Client(app);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await AssertJsonErrorAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Theory]
    [InlineData("Testing")]
    [InlineData("Development")] // where the developer exception page would answer in HTML
    public async Task An_unhandled_exception_gets_500_json_that_does_not_leak_its_message(string environment)
    {
        app.With("environment", environment);
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 1);
        using var client = workspace.Client(app);
        await using (var scope = app.CreateScope())
        {
            // A fault the code does not expect: the balance query of /v1/credits now fails inside the database.
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database
                .ExecuteSqlRawAsync("ALTER TABLE \"Workspaces\" RENAME COLUMN \"HeldMicros\" TO \"HeldMicrosMoved\"");
        }

        var response = await client.GetAsync("/v1/credits");

        var body = await AssertJsonErrorAsync(response, HttpStatusCode.InternalServerError, "internal_error");
        foreach (var secret in new[] { "HeldMicros", "SQLite", "Exception", "WorkspaceApp" })
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> AssertJsonErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True("application/json" == response.Content.Headers.ContentType?.MediaType, $"{(int)response.StatusCode} {response.Content.Headers.ContentType}: {body[..Math.Min(body.Length, 3000)]}");
        await ApiAssert.ErrorAsync(response, status, code);
        return body;
    }

    public void Dispose() => app.Dispose();
}
