using Microsoft.AspNetCore.Components;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Components.Shared;

/// <summary>
/// A component that shows the signed-in user's workspace and stays current: whenever the workspace changes
/// (balance, plan, keys; from this tab, another tab, a webhook or API traffic) it reloads and renders again.
/// </summary>
public abstract class LiveWorkspaceComponent : ComponentBase, IDisposable
{
    private IDisposable? subscription;

    [Inject] protected CurrentWorkspace CurrentWorkspace { get; set; } = default!;
    [Inject] private WorkspaceChangeNotifier Notifier { get; set; } = default!;

    protected WorkspaceSummary? Workspace { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        // The prerender shows a skeleton and reads nothing: the data is read once, by the interactive render.
        if (!RendererInfo.IsInteractive) return;
        await ReloadAsync();
        if (Workspace is null) return;
        subscription = Notifier.Subscribe(Workspace.Id, () => InvokeAsync(async () =>
        {
            await ReloadAsync();
            StateHasChanged();
        }));
    }

    /// <summary>Reads the workspace again, then whatever else the component shows of it.</summary>
    protected async Task ReloadAsync()
    {
        Workspace = await CurrentWorkspace.GetAsync();
        if (Workspace is not null) await LoadAsync(Workspace);
    }

    /// <summary>Loads what the component shows beyond the workspace summary itself.</summary>
    protected virtual Task LoadAsync(WorkspaceSummary workspace) => Task.CompletedTask;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) subscription?.Dispose();
    }
}
