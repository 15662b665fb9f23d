using ForwardGnn.Data.Npy;
using ForwardGnn.Data.Pickle;
using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;

namespace ForwardGnn.Data.Formats;

/// <summary>
/// The raw Planetoid files <c>ind.&lt;prefix&gt;.{x,y,tx,ty,allx,ally,graph,test.index}</c> (Cora, CiteSeer, PubMed),
/// built as PyG 2.2's Planetoid loader builds them: features are the rows of <c>allx</c> then <c>tx</c>, the test rows
/// moved to the nodes <c>test.index</c> names (CiteSeer: the test range is padded with zero rows, and zero labels, for
/// the nodes missing from it); labels are the argmax of the one-hot rows (an all-zero row is class 0); edges are the
/// <c>graph</c> dict's lists without self-loops, sorted and de-duplicated, not symmetrised. The dataset carries PyG's
/// public split: train = the first len(y) nodes, validation = the next 500, test = the sorted test index.
/// </summary>
internal sealed class PlanetoidFormat(string prefix) : IDatasetFormat
{
    /// <summary>Number of validation nodes in the public split.</summary>
    public const int ValidationCount = 500;

    /// <summary>The <c>graph</c> file, which marks a Planetoid folder.</summary>
    public IReadOnlyList<string> FileNames { get; } = [$"ind.{prefix}.graph"];

    /// <summary>The file-name prefix of a Planetoid folder's files (<c>cora</c> for <c>ind.cora.graph</c>), or null.</summary>
    public static string? FindPrefix(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder, "ind.*.graph").Select(f => Path.GetFileName(f)[4..^6]).Order().FirstOrDefault()
        : null;

    /// <inheritdoc/>
    public GraphDataset Read(string name, string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string File(string part) => Path.Combine(folder, $"ind.{prefix}.{part}");

        int trainCount = checked((int)PickledArrays.ToArray(PickleReader.Read(File("y")), File("y")).Shape[0]);
        CsrMatrix allx = PickledArrays.ToCsr(PickleReader.Read(File("allx")), File("allx"));
        CsrMatrix tx = PickledArrays.ToCsr(PickleReader.Read(File("tx")), File("tx"));
        float[][] ally = OneHotRows(File("ally"));
        float[][] ty = OneHotRows(File("ty"));
        int[] testIndex = ReadTestIndex(File("test.index"));
        if (ally.Length != allx.Rows) throw new DataFormatException(File("ally"), $"has {ally.Length} rows but allx has {allx.Rows}");
        if (ty.Length != tx.Rows || testIndex.Length != tx.Rows)
            throw new DataFormatException(File("test.index"), $"has {testIndex.Length} entries; tx has {tx.Rows} rows and ty {ty.Length}");
        if (tx.Columns != allx.Columns) throw new DataFormatException(File("tx"), $"has {tx.Columns} columns but allx has {allx.Columns}");

        int[] sorted = testIndex.Order().ToArray();
        int testStart = sorted[0];
        // PyG pads CiteSeer's test block to the whole range of test.index, placing the rows in sorted order.
        bool padded = string.Equals(prefix, "citeseer", StringComparison.OrdinalIgnoreCase);
        int blockRows = padded ? sorted[^1] - testStart + 1 : tx.Rows;
        int n = allx.Rows + blockRows;
        // Row r of cat(allx, tx_ext): (matrix, row), or row −1 for a zero row.
        var stacked = new (bool FromTest, int Row)[n];
        for (int r = 0; r < allx.Rows; r++) stacked[r] = (false, r);
        for (int j = 0; j < blockRows; j++) stacked[allx.Rows + j] = (true, padded ? -1 : j);
        if (padded) for (int i = 0; i < sorted.Length; i++) stacked[allx.Rows + sorted[i] - testStart] = (true, i);
        // x[test_index] = x[sorted_test_index]
        var rows = ((bool FromTest, int Row)[])stacked.Clone();
        foreach (int node in sorted)
            if ((uint)node >= (uint)n) throw new DataFormatException(File("test.index"), $"node {node} is outside 0..{n - 1}");
        for (int i = 0; i < testIndex.Length; i++) rows[testIndex[i]] = stacked[sorted[i]];

        int[] labels = rows.Select(r => r.Row < 0 ? 0 : ArgMax(r.FromTest ? ty[r.Row] : ally[r.Row])).ToArray();
        CsrMatrix features = Gather(rows, allx, tx);
        EdgeIndex edges = ReadGraph(File("graph"), n);
        if (trainCount + ValidationCount > n) throw new DataFormatException(File("y"), $"{trainCount} training rows leave no room for validation");
        var split = new NodeSplit(0, Enumerable.Range(0, trainCount).ToArray(), Enumerable.Range(trainCount, ValidationCount).ToArray(),
            sorted.Distinct().ToArray(), $"public Planetoid split of {folder}");
        return new GraphDataset(name, features, labels, LabelChecks.CountClasses(labels, File("ally")), edges, path) { PublicSplit = split };
    }

    private static float[][] OneHotRows(string path)
    {
        NpyArray array = PickledArrays.ToArray(PickleReader.Read(path), path);
        if (array.Shape.Length != 2) throw new DataFormatException(path, "labels must be a one-hot matrix [N, C]");
        int columns = checked((int)array.Shape[1]);
        float[] values = array.ToFloat32();
        return values.Chunk(Math.Max(columns, 1)).Take((int)array.Shape[0]).ToArray();
    }

    /// <summary>Index of the first largest entry (0 for an all-zero row), as <c>torch.max(dim=1)</c>.</summary>
    private static int ArgMax(float[] row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }

    private static int[] ReadTestIndex(string path)
    {
        if (!System.IO.File.Exists(path)) throw new DataFormatException(path, "file not found");
        var index = new List<int>();
        int line = 0;
        foreach (string text in System.IO.File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (!int.TryParse(text.Trim(), out int node) || node < 0) throw new DataFormatException(path, $"line {line} is not a node id");
            index.Add(node);
        }
        return index.Count > 0 ? [.. index] : throw new DataFormatException(path, "has no test nodes");
    }

    private static CsrMatrix Gather((bool FromTest, int Row)[] rows, CsrMatrix allx, CsrMatrix tx)
    {
        var pointer = new int[rows.Length + 1];
        for (int i = 0; i < rows.Length; i++)
        {
            (bool fromTest, int row) = rows[i];
            CsrMatrix m = fromTest ? tx : allx;
            pointer[i + 1] = pointer[i] + (row < 0 ? 0 : m.RowPointer[row + 1] - m.RowPointer[row]);
        }
        var index = new int[pointer[^1]];
        var values = new float[pointer[^1]];
        for (int i = 0; i < rows.Length; i++)
        {
            (bool fromTest, int row) = rows[i];
            if (row < 0) continue;
            CsrMatrix m = fromTest ? tx : allx;
            int start = m.RowPointer[row], length = m.RowPointer[row + 1] - start;
            Array.Copy(m.ColumnIndex, start, index, pointer[i], length);
            Array.Copy(m.Values, start, values, pointer[i], length);
        }
        return new CsrMatrix(rows.Length, allx.Columns, pointer, index, values);
    }

    private static EdgeIndex ReadGraph(string path, int n)
    {
        if (PickleReader.Read(path) is not Dictionary<object, object?> graph)
            throw new DataFormatException(path, "expected a pickled dict of neighbour lists");
        var source = new List<int>();
        var target = new List<int>();
        foreach ((object key, object? value) in graph)
        {
            if (key is not long s || (ulong)s >= (ulong)n) throw new DataFormatException(path, $"node {key} is outside 0..{n - 1}");
            if (value is not List<object?> neighbours) throw new DataFormatException(path, $"node {s} has no neighbour list");
            foreach (object? t in neighbours)
            {
                if (t is not long u || (ulong)u >= (ulong)n) throw new DataFormatException(path, $"neighbour {t} of node {s} is outside 0..{n - 1}");
                source.Add((int)s);
                target.Add((int)u);
            }
        }
        return EdgeIndex.Build(n, source.ToArray(), target.ToArray(), removeSelfLoops: true, symmetrise: false);
    }
}
