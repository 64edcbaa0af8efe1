using System.Buffers;
using System.Text.Json;

namespace WorkspaceApp.Features.Api;

/// <summary>Reads a JSON body with a size limit; bad or oversized bodies become OpenAI-shaped 400/413 errors.</summary>
public static class ApiRequestBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, int maxBytes) where T : class
    {
        if (request.ContentLength > maxBytes) return (null, ApiErrors.TooLarge(maxBytes));

        // Read at most maxBytes + 1, so a chunked body without Content-Length is caught too.
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, request.HttpContext.RequestAborted);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes) return (null, ApiErrors.TooLarge(maxBytes));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.WrittenSpan);
            return value is null ? (null, ApiErrors.InvalidRequest("The request body must be a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            // Where, never the exception's text: it names the app's own types.
            var where = ex.Path is { Length: > 0 } path ? $" at {ApiErrors.Excerpt(path, 100)}" : "";
            return (null, ApiErrors.InvalidRequest($"The request body is not valid JSON for this endpoint{where} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})."));
        }
    }
}
