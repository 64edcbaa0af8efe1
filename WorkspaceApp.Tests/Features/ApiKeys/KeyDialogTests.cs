using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor;
using MudBlazor.Services;
using WorkspaceApp.Features.ApiKeys;
using KeyAction = WorkspaceApp.Features.ApiKeys.ConfirmKeyDialog.KeyAction;

namespace WorkspaceApp.Tests.Features.ApiKeys;

/// <summary>The dialogs on their own, opened through IDialogService as the tab opens them.</summary>
public sealed class KeyDialogTests : BunitContext, IAsyncLifetime
{
    private static readonly ApiKeyRow Row = new(7, "Production", "wsk_AbCd...wxyz", ApiKeyStatus.Active, "ada@example.com", DateTime.UtcNow, null, null, null, null);

    private readonly IRenderedComponent<MudDialogProvider> provider;

    public KeyDialogTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        provider = Render<MudDialogProvider>();
    }

    [Fact]
    public async Task The_reveal_dialog_shows_the_key_with_a_copy_button_and_closing_it_clears_the_key()
    {
        var key = ApiKeyFormat.Generate();
        var dialog = await ShowAsync<RevealKeyDialog>("Save your API key", new() { { d => d.Key, key }, { d => d.Name, "Production" } });

        Assert.Equal(key, provider.Find("[data-testid=revealed-key]").TextContent);
        Assert.Contains("It will not be shown again", provider.Find("[data-testid=reveal-warning]").TextContent, StringComparison.Ordinal);
        Button("Copy").Click();
        Assert.Equal(key, Assert.Single(JSInterop.VerifyInvoke("navigator.clipboard.writeText").Arguments));
        provider.WaitForAssertion(() => Assert.NotNull(Button("Copied")));

        var component = provider.FindComponent<RevealKeyDialog>().Instance;
        Button("Done").Click();

        Assert.Null(component.Key);
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid=revealed-key]")));
        Assert.DoesNotContain(key, provider.Markup, StringComparison.Ordinal);
        Assert.False((await dialog.Result)!.Canceled);
    }

    [Fact]
    public async Task When_the_browser_refuses_the_clipboard_the_dialog_says_to_copy_by_hand()
    {
        JSInterop.SetupVoid("navigator.clipboard.writeText", _ => true).SetException(new JSException("NotAllowedError"));
        await ShowAsync<RevealKeyDialog>("Save your API key", new() { { d => d.Key, ApiKeyFormat.Generate() } });

        Button("Copy").Click();

        provider.WaitForAssertion(() => Assert.Contains("select the key and copy it yourself", provider.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_rotation_dialog_says_the_key_is_disabled_for_good_and_replaced_and_can_be_cancelled()
    {
        var dialog = await ShowAsync<ConfirmKeyDialog>("Rotate API key", new() { { d => d.Row, Row }, { d => d.Action, KeyAction.Rotate } });

        var text = provider.Find("[data-testid=confirm-key-text]").TextContent;
        Assert.Contains("The current key \"Production\" (wsk_AbCd...wxyz) will be permanently disabled and replaced with a new one.", text, StringComparison.Ordinal);
        Assert.Contains("Anything using it stops working until you update it with the new key.", text, StringComparison.Ordinal);
        Assert.Contains("Rotate API key", provider.Markup, StringComparison.Ordinal);
        Assert.NotNull(Button("Rotate key"));

        Button("Cancel").Click();
        Assert.True((await dialog.Result)!.Canceled);
    }

    [Fact]
    public async Task The_revoke_dialog_says_the_key_stops_working_at_once_and_confirms()
    {
        var dialog = await ShowAsync<ConfirmKeyDialog>("Revoke API key", new() { { d => d.Row, Row }, { d => d.Action, KeyAction.Revoke } });

        Assert.Contains("stops working at once", provider.Find("[data-testid=confirm-key-text]").TextContent, StringComparison.Ordinal);
        Button("Revoke key").Click();

        var result = await dialog.Result;
        Assert.Equal((false, true), (result!.Canceled, result.Data));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services dispose only asynchronously (as in AppTestContext).
    async Task IAsyncLifetime.DisposeAsync() => await Services.DisposeAsync();

    private async Task<IDialogReference> ShowAsync<TDialog>(string title, DialogParameters<TDialog> parameters) where TDialog : Microsoft.AspNetCore.Components.IComponent
    {
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<TDialog>(title, parameters));
        return reference!;
    }

    private AngleSharp.Dom.IElement Button(string text) =>
        provider.FindAll("button").Single(b => b.TextContent.Trim() == text);
}
