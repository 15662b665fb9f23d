using static TorchSharp.torch;

namespace ForwardGnn.Graphs;

/// <summary>
/// The tensors message passing needs for one graph on one device, built once and reused by every layer and epoch:
/// the symmetric-normalised adjacency with self-loops (GCN), the row-normalised adjacency (mean aggregation), and
/// the self-looped edge list sorted by target (attention). The tensors are built lazily, detached from any dispose
/// scope, and owned (disposed) by this object. Aggregation matrices are sparse [N, N] with rows =
/// targets, so <c>A.mm(h)</c> sums over each node's in-neighbours.
/// </summary>
public sealed class GraphTensors : IDisposable
{
    private Tensor? _gcn, _mean, _attentionSource, _attentionTarget;
    private int[]? _attentionSegments;

    /// <summary>Prepares (lazily) the tensors of <paramref name="edges"/> on <paramref name="device"/>; <paramref name="dtype"/> is the
    /// element type of the aggregation weights, matching the features (float64 for gradient checks).</summary>
    public GraphTensors(EdgeIndex edges, Device device, ScalarType dtype = ScalarType.Float32)
    {
        Edges = edges;
        Device = device;
        DType = dtype;
    }

    public ScalarType DType { get; }

    public EdgeIndex Edges { get; }
    public Device Device { get; }
    public int NumNodes => Edges.NumNodes;

    /// <summary>Â = D^−½ (A + I) D^−½ with degrees counted at targets, self-loops added where missing (PyG gcn_norm).</summary>
    public Tensor GcnAdjacency => _gcn ??= BuildGcn().DetachFromDisposeScope();

    /// <summary>M with M[t, s] = 1 / in-degree(t) for every edge s → t; isolated nodes get an all-zero row.</summary>
    public Tensor MeanAdjacency => _mean ??= BuildMean().DetachFromDisposeScope();

    /// <summary>Sources of the attention edges: existing self-loops removed, one per node added, sorted by target.</summary>
    public Tensor AttentionSource { get { BuildAttention(); return _attentionSource!; } }

    /// <summary>Targets of the attention edges, non-decreasing.</summary>
    public Tensor AttentionTarget { get { BuildAttention(); return _attentionTarget!; } }

    /// <summary>Start of each target's segment in the attention edge list, length N + 1.</summary>
    public int[] AttentionSegments { get { BuildAttention(); return _attentionSegments!; } }

    private (List<int> Source, List<int> Target) WithSelfLoops(bool keepExisting)
    {
        var source = new List<int>(Edges.Count + NumNodes);
        var target = new List<int>(Edges.Count + NumNodes);
        var hasLoop = new bool[NumNodes];
        for (int e = 0; e < Edges.Count; e++)
        {
            int s = Edges.Source[e], t = Edges.Target[e];
            if (s == t) { if (!keepExisting || hasLoop[t]) continue; hasLoop[t] = true; }
            source.Add(s);
            target.Add(t);
        }
        for (int i = 0; i < NumNodes; i++)
            if (!hasLoop[i]) { source.Add(i); target.Add(i); }
        return (source, target);
    }

    private Tensor BuildGcn()
    {
        (List<int> source, List<int> target) = WithSelfLoops(keepExisting: true);
        var degree = new float[NumNodes];
        foreach (int t in target) degree[t] += 1f;
        var values = new double[source.Count];
        for (int e = 0; e < values.Length; e++)
            values[e] = 1.0 / Math.Sqrt(degree[source[e]] * degree[target[e]]);
        return Sparse(target, source, values);
    }

    private Tensor BuildMean()
    {
        int[] degree = Edges.InDegree();
        var values = new double[Edges.Count];
        for (int e = 0; e < values.Length; e++) values[e] = 1.0 / degree[Edges.Target[e]];
        return Sparse(Edges.Target, Edges.Source, values);
    }

    private void BuildAttention()
    {
        if (_attentionSegments is not null) return;
        (List<int> source, List<int> target) = WithSelfLoops(keepExisting: false);
        int[] order = Enumerable.Range(0, source.Count).OrderBy(e => target[e]).ThenBy(e => source[e]).ToArray();
        long[] s = order.Select(e => (long)source[e]).ToArray();
        long[] t = order.Select(e => (long)target[e]).ToArray();
        var segments = new int[NumNodes + 1];
        foreach (long node in t) segments[node + 1]++;
        for (int i = 0; i < NumNodes; i++) segments[i + 1] += segments[i];
        _attentionSource = tensor(s, device: Device).DetachFromDisposeScope();
        _attentionTarget = tensor(t, device: Device).DetachFromDisposeScope();
        _attentionSegments = segments;
    }

    private Tensor Sparse(IReadOnlyList<int> rows, IReadOnlyList<int> columns, double[] values)
    {
        var index = new long[2 * values.Length];
        for (int e = 0; e < values.Length; e++)
        {
            index[e] = rows[e];
            index[values.Length + e] = columns[e];
        }
        using Tensor indices = tensor(index, [2, values.Length], device: Device);
        using Tensor data = tensor(values, device: Device).to_type(DType);
        return sparse_coo_tensor(indices, data, [NumNodes, NumNodes]);
    }

    public void Dispose()
    {
        _gcn?.Dispose();
        _mean?.Dispose();
        _attentionSource?.Dispose();
        _attentionTarget?.Dispose();
    }
}
