using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace WorkspaceApp.Features.Api.Models;

/// <summary>
/// The built-in "echo-embed-1": a deterministic, L2-normalised 256-dimension vector derived from SHA-256 of the text,
/// so that embeddings work offline and tests can predict them. Equal texts give equal vectors; it means nothing else.
/// A shorter <c>dimensions</c> keeps the first components, normalised again (as OpenAI's text-embedding-3 models do).
/// </summary>
public sealed class EchoEmbeddingModel : IEmbeddingModel
{
    public const string BuiltInId = "echo-embed-1";
    public const int Size = 256;

    public string Id => BuiltInId;
    public int? MaxDimensions => Size;

    public Task<EmbeddingAnswer> EmbedAsync(IReadOnlyList<string> inputs, int? dimensions, CancellationToken ct) =>
        Task.FromResult(new EmbeddingAnswer(inputs.Select(text => Vector(text, dimensions ?? Size)).ToList()));

    public static float[] Vector(string text, int dimensions)
    {
        // The text is hashed once; the 16 blocks of 2 bytes per component hash that seed with a counter.
        Span<byte> block = stackalloc byte[36];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), block);
        var bytes = new byte[Size * 2];
        for (var k = 0; k < bytes.Length / 32; k++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(block[32..], k);
            SHA256.HashData(block, bytes.AsSpan(k * 32, 32));
        }

        var vector = new float[dimensions];
        var norm = 0.0;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i)) / 32768f;
            norm += vector[i] * vector[i];
        }
        if (norm == 0) vector[0] = 1; // one component that hashed to zero: still a unit vector
        var scale = norm == 0 ? 1 : (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < dimensions; i++) vector[i] *= scale;
        return vector;
    }
}
