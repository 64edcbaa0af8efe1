namespace WorkspaceApp.Features.Billing;

public sealed partial class AutoTopUpCard
{
    private sealed class Form
    {
        public bool Enabled { get; set; }
        public string? Below { get; set; }
        public string? Credits { get; set; }
        public string? MonthlyLimit { get; set; }
    }

    private readonly Form form = new();
    private AutoTopUpView? view;
    private Dictionary<string, string> errors = [];
    private string? result;
    private bool resultOk;
    private bool busy;

    private bool CanManage => Workspace?.CanManage == true;

    private string? ErrorFor(string field) => errors.GetValueOrDefault(field);

    protected override async Task LoadAsync(Workspaces.WorkspaceSummary workspace)
    {
        var previous = view;
        view = await AutoTopUp.GetAsync(await CurrentWorkspace.GetUserAsync(), workspace.Id);
        if (view is null) return;
        var first = previous is null;
        // Live updates refresh the card and the switch (auto top-up may switch itself off), never what is being typed.
        if (first)
        {
            form.Below = WholeCredits.Text(view.BelowCredits);
            form.Credits = WholeCredits.Text(view.Credits);
            form.MonthlyLimit = WholeCredits.Text(view.MonthlyLimitCredits);
        }
        if (first || previous!.Enabled != view.Enabled) form.Enabled = view.Enabled;
    }

    private async Task SaveAsync()
    {
        if (Workspace is null || busy) return;
        errors = [];
        var parse = new[] { ("Below", form.Below), ("Credits", form.Credits), ("MonthlyLimit", form.MonthlyLimit) }
            .Select(f => (f.Item1, Error: WholeCredits.TryParse(f.Item2, out var value), Value: value)).ToList();
        foreach (var (field, error, _) in parse.Where(p => p.Error is not null)) errors[field] = error!;
        if (form.Enabled && errors.Count == 0) errors = AutoTopUpRules.Validate(parse[0].Value, parse[1].Value, parse[2].Value);
        if (!form.Enabled) errors = [];
        if (errors.Count > 0) return;
        busy = true;
        try
        {
            var saved = await AutoTopUp.SaveAsync(await CurrentWorkspace.GetUserAsync(), Workspace.Id, form.Enabled, parse[0].Value, parse[1].Value, parse[2].Value);
            (result, resultOk) = saved.Succeeded ? (form.Enabled ? "Auto top-up is on." : "Auto top-up is off.", true) : (saved.Error, false);
        }
        finally
        {
            busy = false;
        }
    }
}
