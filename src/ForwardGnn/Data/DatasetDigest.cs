using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ForwardGnn.Data;

/// <summary>
/// The SHA-256 of a graph as its format reads it (nodes, classes, labels, the sorted de-duplicated edge index and the
/// CSR features, before normalisation), and the known value for every catalogue dataset whose file we hold. A download
/// is checked against it, so a tampered file with the right counts is refused. It hashes what is read rather than the
/// file's bytes because copies of one dataset differ in packaging only: zip compression, float widths, the order of
/// column indices within a row (docs/datasets.md) all give the same graph, hence the same digest.
/// </summary>
internal static class DatasetDigest
{
    /// <summary>Known digests, measured on the files of the shared dataset folder (its SHA256SUMS lists the files).</summary>
    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CitationFull-Cora_ML"] = "d7470ceb2d2061b1d45c0b2ff68e02d579afb083890b89151d8a05948afd137a",
        ["CitationFull-CiteSeer"] = "15bde46f6c4b6b85b20b7d81fd5ad03b13f5600e6b23076d226f7f8cc0831b0e",
        ["Amazon-Photo"] = "ace2d22d14a80035cbfa54f6d868dea73c1d679f54a146020ff8206b696db856",
    };

    /// <summary>The known digest of <paramref name="info"/>'s graph, or null when no copy was at hand to measure it.</summary>
    public static string? KnownFor(DatasetInfo info) => Known.GetValueOrDefault(info.Name);

    /// <summary>Lower-case hex SHA-256 of the graph's content.</summary>
    public static string Compute(GraphDataset data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData("forwardgnn graph v1\n"u8);
        Append(sha, [data.NumNodes, data.NumClasses]);
        Append(sha, data.Labels);
        Append(sha, [data.Edges.Count]);
        Append(sha, data.Edges.Source);
        Append(sha, data.Edges.Target);
        CsrMatrix x = data.Features;
        Append(sha, [x.Rows, x.Columns, x.StoredCount]);
        Append(sha, x.RowPointer);
        Append(sha, x.ColumnIndex);
        sha.AppendData(MemoryMarshal.AsBytes(x.Values.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static void Append(IncrementalHash sha, ReadOnlySpan<int> values) => sha.AppendData(MemoryMarshal.AsBytes(values));
}
