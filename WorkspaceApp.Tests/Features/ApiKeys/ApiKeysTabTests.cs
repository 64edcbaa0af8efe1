using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.ApiKeys;

/// <summary>The API Keys tab with the real services on a real database, and its dialogs in a dialog provider.</summary>
public sealed partial class ApiKeysTabTests : AppTestContext
{
    private IRenderedComponent<MudDialogProvider> dialogs = default!;

    [Fact]
    public async Task Generate_validates_the_name_reveals_the_key_once_and_then_lists_only_its_hint()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        var tab = RenderTab(owner);
        tab.WaitForAssertion(() => Assert.NotNull(tab.Find("[data-testid=api-keys-empty]")));

        Button(tab, "Generate API key").Click();
        dialogs.WaitForAssertion(() => Button(dialogs, "Generate"));
        Button(dialogs, "Generate").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Give the key a name", dialogs.Markup, StringComparison.Ordinal));

        dialogs.Find("input").Input("Production");
        Button(dialogs, "Generate").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid=revealed-key]")));
        var key = dialogs.Find("[data-testid=revealed-key]").TextContent;
        Assert.Equal(ApiKeyResolutionStatus.Valid, await StatusAsync(key));

        Button(dialogs, "Done").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=revealed-key]")));
        tab.WaitForAssertion(() => Assert.Equal(ApiKeyFormat.Hint(key), tab.Find("[data-testid=api-key-hint]").TextContent));
        Assert.DoesNotContain(key, tab.Markup + dialogs.Markup, StringComparison.Ordinal);
        Assert.Equal("active", tab.Find("[data-testid=api-key-row]").GetAttribute("data-status"));
        Assert.Equal("never", tab.Find("[data-testid=api-key-last-used]").TextContent);
        Assert.Contains("1 of 25 active keys", tab.Find("[data-testid=api-keys-count]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_name_is_explained_in_the_dialog_and_no_key_is_revealed()
    {
        var (_, _, tab) = await RenderWithKeyAsync("Production");

        Button(tab, "Generate API key").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("input").Input(" Production "));
        Button(dialogs, "Generate").Click();

        dialogs.WaitForAssertion(() => Assert.Contains(ApiKeyNames.Taken("Production"), string.Concat(dialogs.Nodes.Select(n => n.TextContent)), StringComparison.Ordinal));
        Assert.Empty(dialogs.FindAll("[data-testid=revealed-key]"));
    }

    [Fact]
    public async Task Rotate_asks_for_confirmation_reveals_the_replacement_and_keeps_the_old_key_as_history()
    {
        var (owner, old, tab) = await RenderWithKeyAsync("Production");

        Button(tab, "Rotate").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("will be permanently disabled and replaced with a new one", dialogs.Find("[data-testid=confirm-key-text]").TextContent, StringComparison.Ordinal));
        Button(dialogs, "Rotate key").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid=revealed-key]")));
        var replacement = dialogs.Find("[data-testid=revealed-key]").TextContent;
        Button(dialogs, "Done").Click();

        tab.WaitForAssertion(() => Assert.Equal(2, tab.FindAll("[data-testid=api-key-row]").Count));
        var rows = tab.FindAll("[data-testid=api-key-row]");
        Assert.Equal(["active", "rotated"], rows.Select(r => r.GetAttribute("data-status")));
        Assert.Equal([ApiKeyFormat.Hint(replacement), old.Hint], rows.Select(r => r.QuerySelector("[data-testid=api-key-hint]")!.TextContent));
        Assert.Contains("api-key-history", rows[1].ClassList);
        Assert.Matches($"^Rotated .+ by {owner.Email}: replaced by a new key$", rows[1].QuerySelector("[data-testid=api-key-history]")!.TextContent);
        Assert.Empty(rows[1].QuerySelectorAll("button"));
        Assert.Equal(ApiKeyResolutionStatus.Revoked, await StatusAsync(old.Plaintext));
    }

    [Fact]
    public async Task Revoke_asks_for_confirmation_and_cancel_changes_nothing()
    {
        var (_, key, tab) = await RenderWithKeyAsync("My app");

        Button(tab, "Revoke").Click();
        dialogs.WaitForAssertion(() => Button(dialogs, "Cancel").Click());
        Assert.Equal(ApiKeyResolutionStatus.Valid, await StatusAsync(key.Plaintext));

        Button(tab, "Revoke").Click();
        dialogs.WaitForAssertion(() => Button(dialogs, "Revoke key").Click());

        tab.WaitForAssertion(() => Assert.Equal("revoked", tab.Find("[data-testid=api-key-row]").GetAttribute("data-status")));
        Assert.StartsWith("Revoked ", tab.Find("[data-testid=api-key-history]").TextContent, StringComparison.Ordinal);
        Assert.Equal(ApiKeyResolutionStatus.Revoked, await StatusAsync(key.Plaintext));
    }

    [Fact]
    public async Task With_no_keys_the_empty_state_offers_to_generate_the_first_one()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        var tab = RenderTab(owner);
        tab.WaitForAssertion(() => Assert.Contains("No API keys yet", tab.Find("[data-testid=api-keys-empty]").TextContent, StringComparison.Ordinal));

        Button(tab, "Generate your first key").Click();

        dialogs.WaitForAssertion(() => Button(dialogs, "Generate"));
    }

    [Fact]
    public async Task On_trial_the_tab_explains_that_pro_is_needed_and_generate_is_disabled_until_the_upgrade()
    {
        var owner = await App.RegisterAsync();
        var tab = RenderTab(owner);

        tab.WaitForAssertion(() => Assert.Contains("API access needs the Pro plan", tab.Find("[data-testid=api-keys-needs-pro]").TextContent, StringComparison.Ordinal));
        Assert.True(Button(tab, "Generate API key").HasAttribute("disabled"));

        await Services.GetRequiredService<WorkspaceService>().SetPlanAsync(owner.WorkspaceId, WorkspacePlan.Pro, Actor.From(Actor.OperatorPrincipal));

        tab.WaitForAssertion(() => Assert.False(Button(tab, "Generate API key").HasAttribute("disabled")));
        Assert.Empty(tab.FindAll("[data-testid=api-keys-needs-pro]"));
    }

    [Fact]
    public async Task A_member_sees_the_keys_read_only()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        await App.GenerateKeyAsync(owner, "Production");
        var member = await App.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        var tab = RenderTab(member);

        tab.WaitForAssertion(() => Assert.NotNull(tab.Find("[data-testid=api-keys-read-only]")));
        Assert.Equal("Production", tab.Find("[data-testid=api-key-name]").TextContent);
        Assert.All(new[] { "Generate API key", "Rotate", "Revoke" }, label => Assert.True(Button(tab, label).HasAttribute("disabled"), label));
    }

    [Fact]
    public async Task At_the_key_limit_generate_is_disabled_and_the_tab_says_why()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        var tab = RenderTab(owner, host => host.Configuration["ApiKeys:MaxActiveKeysPerWorkspace"] = "1");
        tab.WaitForAssertion(() => Assert.False(Button(tab, "Generate API key").HasAttribute("disabled")));

        // Through the tab's own services, so their notifier tells the open tab.
        await Services.GetRequiredService<ApiKeyService>().GenerateAsync(owner.Principal, owner.WorkspaceId, "Production");

        tab.WaitForAssertion(() => Assert.True(Button(tab, "Generate API key").HasAttribute("disabled")));
        Assert.Contains("reached its limit of 1 active API keys", tab.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<ApiKeysTab> RenderTab(TestUser user, Action<Microsoft.Extensions.Hosting.HostApplicationBuilder>? configure = null)
    {
        UseAppServices(user, host =>
        {
            configure?.Invoke(host);
            host.AddApiKeys();
        });
        dialogs = Render<MudDialogProvider>();
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        return Render<ApiKeysTab>();
    }


    /// <summary>A Pro workspace with one key, and its tab open on that list.</summary>
    private async Task<(TestUser Owner, GeneratedApiKey Key, IRenderedComponent<ApiKeysTab> Tab)> RenderWithKeyAsync(string name)
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        var key = await App.GenerateKeyAsync(owner, name);
        var tab = RenderTab(owner);
        tab.WaitForAssertion(() => Assert.Single(tab.FindAll("[data-testid=api-key-row]")));
        return (owner, key, tab);
    }

    private async Task<ApiKeyResolutionStatus> StatusAsync(string key) =>
        (await Services.GetRequiredService<ApiKeyResolver>().ResolveAsync(key)).Status;


    private static IElement Button(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> component, string text) =>
        component.FindAll("button").Single(b => b.TextContent.Trim() == text);
}
