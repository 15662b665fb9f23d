using System.Globalization;
using ForwardGnn.Data.Npy;
using ForwardGnn.Graphs;

namespace ForwardGnn.Data.Formats;

/// <summary>
/// A user's graph as text files in one folder: <c>edges.csv</c> (<c>source,target</c> per line), optional
/// <c>features.csv</c> (one row of numbers per node) or <c>features.npy</c> (a 2-D numeric array), optional
/// <c>labels.csv</c> (a label per line, or <c>node,label</c>). Every file may start with a header line. Edges are made
/// undirected (each pair gains its reverse, duplicates merge; self-loops are kept). N is the largest node id + 1 over
/// the edges and labels, or the feature rows if more. Without features: <see cref="DefaultFeatures"/>; without labels:
/// all 0, one class (link prediction only).
/// </summary>
internal sealed class EdgeListFolderFormat : IDatasetFormat
{
    /// <summary>The edge list, which marks such a folder.</summary>
    public IReadOnlyList<string> FileNames { get; } = ["edges.csv"];

    /// <inheritdoc/>
    public GraphDataset Read(string name, string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        (int[] source, int[] target, int maxId) = ReadEdges(path);
        string labelFile = Path.Combine(folder, "labels.csv");
        (int Line, int Node, int Label)[]? labelRows = File.Exists(labelFile) ? ReadLabels(labelFile) : null;
        if (labelRows is not null) maxId = Math.Max(maxId, labelRows.Length == 0 ? -1 : labelRows.Max(r => r.Node));

        string csvFeatures = Path.Combine(folder, "features.csv"), npyFeatures = Path.Combine(folder, "features.npy");
        if (File.Exists(csvFeatures) && File.Exists(npyFeatures))
            throw new DataFormatException(npyFeatures, "both features.csv and features.npy are present; keep one");
        CsrMatrix? features = File.Exists(csvFeatures) ? ReadCsvFeatures(csvFeatures)
            : File.Exists(npyFeatures) ? ReadNpyFeatures(npyFeatures) : null;
        int n = Math.Max(maxId + 1, features?.Rows ?? 0);
        if (n == 0) throw new DataFormatException(path, "the graph has no nodes");
        if (features is not null && features.Rows != n)
            throw new DataFormatException(File.Exists(csvFeatures) ? csvFeatures : npyFeatures,
                $"has {features.Rows} rows but node ids run up to {n - 1} (edges.csv or labels.csv), so {n} are needed");

        int[] labels = labelRows is null ? new int[n] : Labels(labelRows, n, labelFile);
        int classes = LabelChecks.CountClasses(labels, labelRows is null ? path : labelFile);
        EdgeIndex edges = EdgeIndex.Build(n, source, target, removeSelfLoops: false, symmetrise: true);
        return new GraphDataset(name, features ?? DefaultFeatures.For(n), labels, classes, edges, path);
    }

    private static (int[], int[], int) ReadEdges(string path)
    {
        var source = new List<int>();
        var target = new List<int>();
        int maxId = -1;
        foreach ((int line, string[] fields) in CsvRows.Read(path))
        {
            if (fields.Length != 2) throw new DataFormatException(path, $"line {line}: expected 'source,target', found {fields.Length} fields");
            int s = CsvRows.NodeId(fields[0], path, line), t = CsvRows.NodeId(fields[1], path, line);
            source.Add(s);
            target.Add(t);
            maxId = Math.Max(maxId, Math.Max(s, t));
        }
        return (source.ToArray(), target.ToArray(), maxId);
    }

    private static (int Line, int Node, int Label)[] ReadLabels(string path)
    {
        var rows = new List<(int, int, int)>();
        int width = 0;
        foreach ((int line, string[] fields) in CsvRows.Read(path))
        {
            if (fields.Length is not (1 or 2) || (width != 0 && fields.Length != width))
                throw new DataFormatException(path, $"line {line}: expected {(width == 0 ? "'label' or 'node,label'" : width == 1 ? "'label'" : "'node,label'")}, found {fields.Length} fields");
            width = fields.Length;
            int node = width == 1 ? rows.Count : CsvRows.NodeId(fields[0], path, line);
            if (!int.TryParse(fields[^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int label) || label < 0)
                throw new DataFormatException(path, $"line {line}: '{fields[^1]}' is not a label (a non-negative integer)");
            if (width == 1 && node >= DefaultFeatures.MaxNodes) throw new DataFormatException(path, $"line {line}: too many labels");
            rows.Add((line, node, label));
        }
        return [.. rows];
    }

    private static int[] Labels((int Line, int Node, int Label)[] rows, int n, string path)
    {
        var labels = new int[n];
        var seen = new bool[n];
        foreach ((int line, int node, int label) in rows)
        {
            if (seen[node]) throw new DataFormatException(path, $"line {line}: node {node} is labelled twice");
            seen[node] = true;
            labels[node] = label;
        }
        int missing = Array.IndexOf(seen, false);
        if (missing >= 0) throw new DataFormatException(path, $"node {missing} has no label (every node 0..{n - 1} needs one)");
        return labels;
    }

    private static CsrMatrix ReadCsvFeatures(string path)
    {
        var pointer = new List<int> { 0 };
        var index = new List<int>();
        var values = new List<float>();
        int columns = -1;
        foreach ((int line, string[] fields) in CsvRows.Read(path))
        {
            if (columns >= 0 && fields.Length != columns)
                throw new DataFormatException(path, $"line {line}: {fields.Length} columns where the rows before have {columns}");
            columns = fields.Length;
            for (int c = 0; c < fields.Length; c++)
            {
                float v = CsvRows.Number(fields[c], path, line);
                if (v == 0f) continue;
                index.Add(c);
                values.Add(v);
            }
            if (pointer.Count > DefaultFeatures.MaxNodes) throw new DataFormatException(path, $"line {line}: too many rows");
            pointer.Add(values.Count);
        }
        if (columns < 0) throw new DataFormatException(path, "has no rows");
        return new CsrMatrix(pointer.Count - 1, columns, [.. pointer], [.. index], [.. values]);
    }

    private static CsrMatrix ReadNpyFeatures(string path)
    {
        NpyArray array = NpyReader.Parse(BoundedFile.ReadAllBytes(path), path);
        if (array.Shape.Length != 2 || !array.DType.IsNumeric || array.Shape[1] > int.MaxValue)
            throw new DataFormatException(path, $"expected a 2-D numeric array [N, F], found shape ({string.Join(", ", array.Shape)}) of {array.DType.Descr}");
        if (array.Shape[0] > DefaultFeatures.MaxNodes) throw new DataFormatException(path, $"{array.Shape[0]} rows is too many");
        float[] dense = array.ToFloat32();
        int bad = Array.FindIndex(dense, v => !float.IsFinite(v));
        if (bad >= 0) throw new DataFormatException(path, $"value {dense[bad]} at position {bad} is not a finite number");
        return CsrMatrix.FromDense((int)array.Shape[0], (int)array.Shape[1], dense);
    }
}
