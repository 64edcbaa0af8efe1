using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using WorkspaceApp.Features.Workspaces;
using KeyAction = WorkspaceApp.Features.ApiKeys.ConfirmKeyDialog.KeyAction;

namespace WorkspaceApp.Features.ApiKeys;

/// <summary>Settings > API Keys: the list, and generate / rotate / revoke with their dialogs.</summary>
public sealed partial class ApiKeysTab
{
    private static readonly DialogOptions FormOptions = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };
    // The reveal closes only through "Done" (or Escape), not by a stray click beside it.
    private static readonly DialogOptions RevealOptions = new() { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false };

    [Inject] private ApiKeyService KeyService { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    private IReadOnlyList<ApiKeyRow>? keys;
    private bool busy;
    private readonly Dictionary<int, ElementReference> rows = [];
    private MudButton? generateButton;
    // After a dialog closes, focus goes to the key it was about (or back to "Generate API key"), never to the page body.
    private int? focusKeyId;
    private bool focusGenerate;

    private int ActiveCount => keys?.Count(k => k.IsActive) ?? 0;

    private DateTime Now => Clock.GetUtcNow().UtcDateTime;

    private bool CanGenerate =>
        Workspace is { CanManage: true, Plan: WorkspacePlan.Pro } && ActiveCount < KeyService.MaxActiveKeys && !busy;

    protected override async Task LoadAsync(WorkspaceSummary workspace)
    {
        var result = await KeyService.ListAsync(await CurrentWorkspace.GetUserAsync(), workspace.Id);
        keys = result.Value ?? [];
    }

    private async Task GenerateAsync()
    {
        if (Workspace is null || busy) return;
        var parameters = new DialogParameters<GenerateKeyDialog> { { d => d.WorkspaceId, Workspace.Id } };
        var dialog = await Dialogs.ShowAsync<GenerateKeyDialog>("Generate API key", parameters, FormOptions);
        if (await dialog.Result is { Canceled: false, Data: GeneratedApiKey key })
        {
            await ReloadAsync();
            await RevealAsync(key);
        }
        else focusGenerate = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (focusKeyId is { } id && rows.TryGetValue(id, out var row))
        {
            focusKeyId = null;
            await row.FocusAsync();
        }
        else if (focusGenerate && generateButton is not null)
        {
            focusGenerate = false;
            await generateButton.FocusAsync();
        }
    }

    private async Task EditLimitsAsync(ApiKeyRow row)
    {
        if (Workspace is null || busy) return;
        var parameters = new DialogParameters<EditLimitsDialog> { { d => d.WorkspaceId, Workspace.Id }, { d => d.Row, row } };
        var dialog = await Dialogs.ShowAsync<EditLimitsDialog>("API key limits", parameters, FormOptions);
        if (await dialog.Result is { Canceled: false })
        {
            await ReloadAsync();
            Snackbar.Add($"Limits of \"{row.Name}\" saved.", Severity.Success);
        }
    }

    private Task RotateAsync(ApiKeyRow row) => RunAsync(row, KeyAction.Rotate, async (user, grace) =>
    {
        var result = await KeyService.RotateAsync(user, Workspace!.Id, row.Id, grace);
        await ReloadAsync();
        if (result.Value is { } key) await RevealAsync(key);
        return result.Error;
    });

    private Task RevokeAsync(ApiKeyRow row) => RunAsync(row, KeyAction.Revoke, async (user, _) =>
    {
        var result = await KeyService.RevokeAsync(user, Workspace!.Id, row.Id);
        await ReloadAsync();
        if (result.Succeeded)
        {
            Snackbar.Add($"API key \"{row.Name}\" revoked.", Severity.Success);
            focusKeyId = row.Id;
        }
        return result.Error;
    });

    /// <summary>Asks for confirmation (and, for a rotation, the grace period), then runs the action once; a refusal shows in a snackbar.</summary>
    private async Task RunAsync(ApiKeyRow row, KeyAction action, Func<System.Security.Claims.ClaimsPrincipal, TimeSpan, Task<string?>> act)
    {
        if (busy) return;
        busy = true;
        try
        {
            var parameters = new DialogParameters<ConfirmKeyDialog> { { d => d.Row, row }, { d => d.Action, action } };
            var title = action == KeyAction.Rotate ? "Rotate API key" : "Revoke API key";
            var confirm = await Dialogs.ShowAsync<ConfirmKeyDialog>(title, parameters, FormOptions);
            if (await confirm.Result is not { Canceled: false } confirmed)
            {
                focusKeyId = row.Id;
                return;
            }
            var grace = confirmed.Data as TimeSpan? ?? TimeSpan.Zero;
            if (await act(await CurrentWorkspace.GetUserAsync(), grace) is { } error) Snackbar.Add(error, Severity.Error);
        }
        finally
        {
            busy = false;
        }
    }

    /// <summary>Shows the plaintext once. It lives only in this call and the dialog's parameters.</summary>
    private async Task RevealAsync(GeneratedApiKey key)
    {
        var parameters = new DialogParameters<RevealKeyDialog> { { d => d.Key, key.Plaintext }, { d => d.Name, key.Name } };
        var reveal = await Dialogs.ShowAsync<RevealKeyDialog>("Save your API key", parameters, RevealOptions);
        await reveal.Result;
        focusKeyId = key.Id;
        StateHasChanged();
    }

    private static string When(DateTime utc) => utc.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string StatusText(ApiKeyRow key) => key.Status.ToString().ToLowerInvariant();

    private static Color StatusColor(ApiKeyRow key) => key.Status switch
    {
        ApiKeyStatus.Active when key.IsExpired => Color.Error,
        ApiKeyStatus.Active => Color.Success,
        ApiKeyStatus.Rotated => Color.Default,
        _ => Color.Error,
    };

    private static string History(ApiKeyRow key) => key.Status == ApiKeyStatus.Rotated
        ? key.InGrace
            ? $"Rotated by {key.RevokedByName}: replaced by a new key, works until {When(key.RevokedAtUtc ?? default)}"
            : $"Rotated {When(key.RevokedAtUtc ?? default)} by {key.RevokedByName}: replaced by a new key"
        : $"Revoked {When(key.RevokedAtUtc ?? default)} by {key.RevokedByName}";

}
