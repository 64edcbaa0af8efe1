using System.Globalization;
using CsvHelper;
using WorkspaceApp.Features.Billing;

namespace WorkspaceApp.Features.Usage;

/// <summary>The CSV export's format: one row per request, times in UTC (ISO 8601), cost in credits with six decimals.</summary>
public static class UsageCsv
{
    public static readonly string[] Header = ["time_utc", "key_name", "key_hint", "model", "input_tokens", "output_tokens", "cost_credits", "status"];

    private static readonly CsvWriterOptions Options = new()
    {
        // Key names are typed by users: a name like "=HYPERLINK(...)" must stay text in a spreadsheet.
        Injection = CsvInjection.Escape,
    };

    public static async Task WriteAsync(Stream body, IAsyncEnumerable<UsageCsvRow> rows, CancellationToken ct)
    {
        // The writer buffers a few records and writes them out asynchronously as its buffer fills.
        await using var csv = CsvWriter.Create(body, Options, leaveOpen: true);
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
