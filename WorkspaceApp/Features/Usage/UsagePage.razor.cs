using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Usage;

/// <summary>
/// Where the credits went: spend per day, per key and per model for a range kept in the URL (?range=30d or
/// ?from=&amp;to=), following new API usage live. Every member may view it.
/// </summary>
public sealed partial class UsagePage
{
    private const string Custom = "custom";

    [Inject] private UsageService Usage { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "range")] public string? RangeQuery { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? FromQuery { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToQuery { get; set; }

    private UsageRange range = null!;
    private string? rangeError;
    private string selectedPreset = UsageRange.DefaultPreset;
    private DateRange? pickerRange;
    private UsageReport? report;
    private BurnRate? burnRate;
    private List<ChartSeries<double>> chartSeries = [];
    private string[] chartLabels = [];

    // Each reload runs four aggregate queries: under API traffic, at most two reloads a second.
    protected override TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(500);

    private string ExportUrl => $"usage/export.csv?{range.Query}";

    private string RangeDates => $"{Day(range.From)} to {Day(range.To)}";

    private string ChartDescription => $"Bar chart of the spend per day, {RangeDates}: {Money.FormatExact(report!.Totals.CostMicros)} credits in total. The tables below list the figures.";

    protected override async Task OnInitializedAsync()
    {
        ReadRange();
        await base.OnInitializedAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        // Same page, new query (the range changed): read it again.
        var previous = range;
        ReadRange();
        if (range != previous && Workspace is not null) await ReloadAsync();
    }

    protected override async Task LoadAsync(WorkspaceSummary workspace)
    {
        var user = await CurrentWorkspace.GetUserAsync();
        report = await Usage.GetReportAsync(user, workspace.Id, range);
        burnRate = await Usage.GetBurnRateAsync(user, workspace.Id, workspace.BalanceMicros);
        if (report is null) return;
        chartSeries = [new() { Name = "Spend (credits)", Data = report.Days.Select(d => (double)d.CostMicros / Money.MicrosPerCredit).ToArray() }];
        // About ten labels whatever the range, so they stay readable.
        var step = Math.Max(1, report.Days.Count / 10);
        chartLabels = report.Days.Select((d, i) => i % step == 0 ? d.Day.ToString("d MMM", CultureInfo.InvariantCulture) : "").ToArray();
    }

    private void ReadRange()
    {
        UsageRange.TryParse(RangeQuery, FromQuery, ToQuery, Usage.Today, out var parsed, out rangeError);
        range = parsed;
        selectedPreset = parsed.Preset ?? Custom;
        pickerRange = new DateRange(parsed.From.ToDateTime(TimeOnly.MinValue), parsed.To.ToDateTime(TimeOnly.MinValue));
    }

    private void SelectPreset(string preset)
    {
        selectedPreset = preset;
        // Custom shows the date picker; the URL changes once dates are picked.
        if (preset != Custom) Navigation.NavigateTo($"usage?range={preset}");
    }

    private void PickDates(DateRange? dates)
    {
        pickerRange = dates;
        if (dates?.Start is { } start && dates.End is { } end)
        {
            Navigation.NavigateTo($"usage?from={Day(DateOnly.FromDateTime(start))}&to={Day(DateOnly.FromDateTime(end))}");
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
