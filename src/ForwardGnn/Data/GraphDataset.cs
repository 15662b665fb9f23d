using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;

namespace ForwardGnn.Data;

/// <summary>
/// A node-labelled graph as PyG 2.2 would hand it to the model: features X [N, F] (CSR, after the loader's own
/// processing and <see cref="NormalizeFeatures"/>), labels y [N] in 0..C−1, and an undirected edge index.
/// <see cref="Load"/> reads one in a line; <see cref="FromArrays"/> builds one from arrays.
/// </summary>
/// <param name="Name">The catalogue name, the synthetic spec, or the file or folder name of a user's graph.</param>
/// <param name="Features">Node features, one row per node.</param>
/// <param name="Labels">Class of every node, 0..<paramref name="NumClasses"/>−1.</param>
/// <param name="NumClasses">Number of classes C.</param>
/// <param name="Edges">Directed edges, every undirected edge in both directions.</param>
/// <param name="SourcePath">The file the graph was read from (or its spec), for error messages.</param>
public sealed record GraphDataset(string Name, CsrMatrix Features, int[] Labels, int NumClasses, EdgeIndex Edges, string SourcePath)
{
    /// <summary>Number of nodes N.</summary>
    public int NumNodes => Labels.Length;

    /// <summary>Number of features F per node.</summary>
    public int NumFeatures => Features.Columns;

    /// <summary>
    /// The dataset's own fixed node split, used instead of the generated ones under every split number 0..4 (runs that
    /// differ only in their seeds): Planetoid's public split, or one read from a split file (<see cref="NodeSplitFile"/>).
    /// It need not cover every node. Null for most datasets.
    /// </summary>
    public NodeSplit? PublicSplit { get; init; }

    /// <summary>
    /// Reads a dataset in one line: a catalogue name or alias (<c>cora_ml</c>, <c>planetoid-cora</c>), a synthetic
    /// <c>sbm:…</c> spec, or a path to a graph2gauss <c>.npz</c> file, a folder with <c>edges.csv</c>, or a Planetoid
    /// folder (docs/datasets.md). Catalogue datasets are looked for under <paramref name="dataRoot"/> (else
    /// <c>$FORWARDGNN_DATA</c>, else <c>./data</c>: <see cref="DataRoots.Resolve"/>) and never downloaded. Features are normalised.
    /// </summary>
    /// <exception cref="DataFormatException">A file is malformed; the message names it (and the line for text files).</exception>
    /// <exception cref="DatasetNotFoundException">No data root holds the dataset, or the path does not exist.</exception>
    public static GraphDataset Load(string nameOrPath, string? dataRoot = null) =>
        new DatasetLoader(DataRoots.Resolve(dataRoot)).Load(nameOrPath);

    /// <summary>
    /// Builds a dataset from arrays: edge i joins <paramref name="source"/>[i] and <paramref name="target"/>[i]
    /// (made undirected, duplicates merged, self-loops kept); <paramref name="features"/> is [N, F], or null for the
    /// default features (<see cref="DefaultFeatures"/>); <paramref name="labels"/> has one class per node, or null
    /// for none (all 0, one class: link prediction only). N is the largest of: the largest node id + 1, the feature
    /// rows and the labels. Features are normalised as every dataset's (<see cref="NormalizeFeatures"/>).
    /// </summary>
    /// <exception cref="DataFormatException">Negative ids or labels, mismatched lengths, non-finite features.</exception>
    public static GraphDataset FromArrays(string name, int[] source, int[] target, float[,]? features = null, int[]? labels = null)
    {
        const string origin = "arrays";
        if (source.Length != target.Length)
            throw new DataFormatException(origin, $"{source.Length} edge sources but {target.Length} targets");
        long maxId = -1;
        for (int e = 0; e < source.Length; e++)
        {
            if (source[e] < 0 || target[e] < 0) throw new DataFormatException(origin, $"edge {e} ({source[e]}, {target[e]}) has a negative node id");
            maxId = Math.Max(maxId, Math.Max(source[e], target[e]));
        }
        long n = Math.Max(maxId + 1, Math.Max(features?.GetLength(0) ?? 0, labels?.Length ?? 0));
        if (n > DefaultFeatures.MaxNodes) throw new DataFormatException(origin, $"{n} nodes is more than the {DefaultFeatures.MaxNodes:N0} allowed");
        int nodes = (int)n;
        if (features is not null && features.GetLength(0) != nodes)
            throw new DataFormatException(origin, $"features have {features.GetLength(0)} rows but the graph has {nodes} nodes");
        if (labels is not null && labels.Length != nodes)
            throw new DataFormatException(origin, $"{labels.Length} labels but the graph has {nodes} nodes");
        CsrMatrix x = features is null
            ? DefaultFeatures.For(nodes)
            : CsrMatrix.FromDense(nodes, features.GetLength(1), features.Length == 0
                ? [] : System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref features[0, 0], features.Length));
        int[] y = labels ?? new int[nodes];
        int classes = nodes == 0 ? 1 : Formats.LabelChecks.CountClasses(y, origin);
        EdgeIndex edges = EdgeIndex.Build(nodes, source, target, removeSelfLoops: false, symmetrise: true);
        GraphDataset raw = new GraphDataset(name, x, y, classes, edges, origin).Check();
        return raw with { Features = NormalizeFeatures.Apply(raw.Features) };
    }

    /// <summary>
    /// Throws a <see cref="DataFormatException"/> naming <see cref="SourcePath"/> for what no run can train on: no
    /// nodes, a label outside 0..C−1, a NaN or infinite feature, an edge to a missing node. Isolated nodes are fine.
    /// </summary>
    public GraphDataset Check()
    {
        if (NumNodes == 0) throw new DataFormatException(SourcePath, "the graph has no nodes");
        if (Features.Rows != NumNodes)
            throw new DataFormatException(SourcePath, $"has {Features.Rows} feature rows but {NumNodes} labels");
        for (int i = 0; i < NumNodes; i++)
            if (Labels[i] < 0 || Labels[i] >= NumClasses)
                throw new DataFormatException(SourcePath, $"label {Labels[i]} of node {i} is outside 0..{NumClasses - 1}");
        for (int i = 0; i < Features.Rows; i++)
            for (int k = Features.RowPointer[i]; k < Features.RowPointer[i + 1]; k++)
                if (!float.IsFinite(Features.Values[k]))
                    throw new DataFormatException(SourcePath, $"feature {Features.ColumnIndex[k]} of node {i} is {Features.Values[k]}, not a finite number");
        for (int e = 0; e < Edges.Count; e++)
            if ((uint)Edges.Source[e] >= (uint)NumNodes || (uint)Edges.Target[e] >= (uint)NumNodes)
                throw new DataFormatException(SourcePath, $"edge {Edges.Source[e]} → {Edges.Target[e]} refers to a node outside 0..{NumNodes - 1}");
        return this;
    }

    /// <summary>Number of nodes of each class.</summary>
    public int[] LabelHistogram()
    {
        var counts = new int[NumClasses];
        foreach (int y in Labels) counts[y]++;
        return counts;
    }
}
