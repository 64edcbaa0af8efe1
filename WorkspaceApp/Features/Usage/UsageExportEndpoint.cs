using System.Globalization;
using System.Security.Claims;
using CsvHelper;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Usage;

/// <summary>
/// GET /usage/export.csv?from=&amp;to= (or ?range=30d): the signed-in member's usage records of the range, one row per
/// request, streamed from the database to the response as they are read.
/// </summary>
internal static class UsageExportEndpoint
{
    private static readonly CsvWriterOptions Csv = new()
    {
        // Key names are typed by users: a name like "=HYPERLINK(...)" must stay text in a spreadsheet.
        Injection = CsvInjection.Escape,
    };

    public static readonly string[] Header = ["time_utc", "key_name", "key_hint", "model", "input_tokens", "output_tokens", "cost_credits", "status"];

    public static async Task<IResult> HandleAsync(
        ClaimsPrincipal user, UsageService usage, WorkspaceService workspaces,
        string? range, string? from, string? to, int? workspace, CancellationToken ct)
    {
        if (!UsageRange.TryParse(range, from, to, usage.Today, out var parsed, out var error))
        {
            return TypedResults.Text(error, statusCode: StatusCodes.Status400BadRequest);
        }
        var workspaceId = workspace ?? (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
            ? (await workspaces.FindForUserAsync(userId, ct))?.Id : null);
        // Not a member: the same answer as for a workspace that does not exist.
        if (workspaceId is not { } id || await usage.ExportAsync(user, id, parsed, ct) is not { } rows)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Stream(body => WriteAsync(body, rows, ct), "text/csv; charset=utf-8", parsed.FileName);
    }

    private static async Task WriteAsync(Stream body, IAsyncEnumerable<UsageCsvRow> rows, CancellationToken ct)
    {
        // The writer buffers a few records and writes them out asynchronously as its buffer fills.
        await using var csv = CsvWriter.Create(body, Csv, leaveOpen: true);
        foreach (var name in Header) csv.WriteField(name);
        await csv.EndRecordAsync(ct);
        await foreach (var row in rows.WithCancellation(ct))
        {
            csv.WriteField(DateTime.SpecifyKind(row.AtUtc, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture));
            csv.WriteField(row.KeyName);
            csv.WriteField(row.KeyHint);
            csv.WriteField(row.Model);
            csv.WriteField(row.InputTokens.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(row.OutputTokens.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(Money.FormatExact(row.CostMicros));
            csv.WriteField(row.Status);
            await csv.EndRecordAsync(ct);
        }
    }
}
