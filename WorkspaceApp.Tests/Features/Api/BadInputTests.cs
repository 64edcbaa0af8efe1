using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>Bad requests get 400 (or 413) in OpenAI's error shape and charge nothing.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly AppFactory app = new();

    public static TheoryData<string, string> BadBodies => new()
    {
        { "{\"model\": \"echo-1\", \"messages\": [", "malformed JSON" },
        { "[1, 2, 3]", "not an object" },
        { "{\"model\": \"gpt-9\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "unknown model" },
        { "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "no model" },
        { "{\"model\": \"echo-1\", \"messages\": []}", "no messages" },
        { "{\"model\": \"echo-1\", \"messages\": [{\"role\": \"wizard\", \"content\": \"hi\"}]}", "unknown role" },
        { "{\"model\": \"echo-1\", \"max_tokens\": -5, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "negative max_tokens" },
        { "{\"model\": \"echo-1\", \"max_tokens\": 0, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "zero max_tokens" },
        { "{\"model\": \"echo-1\", \"max_tokens\": 99999999999999, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "huge max_tokens" },
        { "{\"model\": \"echo-1\", \"max_tokens\": 1e400, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "max_tokens overflow" },
        { "{\"model\": \"echo-1\", \"stream\": true, \"stream_options\": {\"include_usage\": \"yes\"}, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "stream_options of the wrong type" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_gets_400_invalid_request_and_charges_nothing(string body, string why)
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);

        var response = await client.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        await AssertNothingChargedAsync(workspace, why);
    }

    [Fact]
    public async Task A_ten_megabyte_body_gets_413_and_charges_nothing()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);
        var huge = new string('a', 10 * 1024 * 1024);

        var response = await ApiWorkspace.ChatAsync(client, huge);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        await AssertNothingChargedAsync(workspace, "10 MB body");
    }

    private async Task AssertNothingChargedAsync(ApiWorkspace workspace, string why)
    {
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var balance = await db.Workspaces.Where(w => w.Id == workspace.Owner.WorkspaceId).Select(w => w.BalanceMicros).SingleAsync();
        Assert.True(balance == 10_000_000, $"{why}: balance {balance}");
        Assert.False(await db.UsageRecords.AnyAsync(), why);
    }

    public void Dispose() => app.Dispose();
}
