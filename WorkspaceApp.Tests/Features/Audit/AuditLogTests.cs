using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Features.ApiKeys;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Audit;

public sealed class AuditLogTests : AppTestContext
{
    [Fact]
    public async Task The_query_pages_newest_first_and_only_for_members_of_the_workspace()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        var member = await App.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        var stranger = await App.RegisterAsync();
        await RecordAsync(owner.WorkspaceId, 24); // plus "workspace.created": 25 events
        await using var scope = App.CreateScope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLogQuery>();

        var first = (await audit.GetPageAsync(owner.Principal, owner.WorkspaceId, page: 0, pageSize: 10))!;
        var last = (await audit.GetPageAsync(member.Principal, owner.WorkspaceId, page: 2, pageSize: 10))!;

        Assert.Equal(25, first.TotalCount);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"Event {25 - i}"), first.Items.Select(e => e.Details));
        Assert.Equal(5, last.Items.Count);
        Assert.Equal("workspace.created", last.Items[^1].Action);
        Assert.Null(await audit.GetPageAsync(stranger.Principal, owner.WorkspaceId, 0, 10));
        // The stranger's own log holds only their own workspace's events.
        Assert.Equal(1, (await audit.GetPageAsync(stranger.Principal, stranger.WorkspaceId, 0, 10))!.TotalCount);
    }

    [Fact]
    public async Task The_tab_lists_key_and_billing_events_with_who_and_what_and_pages_them()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        UseAppServices(owner, host => { host.AddApiKeys(); host.AddAuditLog(); });
        var keys = Services.GetRequiredService<ApiKeyService>();
        var key = (await keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Production")).Value!;
        await keys.RotateAsync(owner.Principal, owner.WorkspaceId, key.Id);
        await RecordAsync(owner.WorkspaceId, 20, "credits.purchased");
        Render<MudPopoverProvider>();

        var tab = Render<AuditLogTab>(p => p.Add(t => t.WorkspaceId, owner.WorkspaceId));

        tab.WaitForAssertion(() => Assert.Equal(20, tab.FindAll("[data-testid=audit-action]").Count));
        Assert.All(tab.FindAll("[data-testid=audit-action]"), a => Assert.Equal("Credits purchased", a.TextContent));
        Assert.Contains("1-20 of 23", tab.Markup, StringComparison.Ordinal);

        tab.Find("button[aria-label='Next page']").Click();

        tab.WaitForAssertion(() => Assert.Equal(["API key rotated", "API key generated", "Workspace created"], tab.FindAll("[data-testid=audit-action]").Select(a => a.TextContent)));
        Assert.Contains(owner.Email, tab.Markup, StringComparison.Ordinal);
        Assert.Contains($"API key \"Production\" generated ({key.Hint})", tab.FindAll("[data-testid=audit-details]")[1].TextContent, StringComparison.Ordinal);
    }

    private async Task RecordAsync(int workspaceId, int count, string action = "test.event")
    {
        await using var scope = App.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        for (var i = 1; i <= count; i++) db.Record(workspaceId, new Actor(null, "ops"), action, $"Event {i}");
        await db.SaveChangesAsync();
    }
}
