using ForwardGnn.Engine;
using static TorchSharp.torch;

namespace ForwardGnn.Graphs;

/// <summary>
/// The fixed sparse operators message passing needs for one graph, built lazily once and reused by every layer and
/// epoch. Aggregation operators are [N, N] with rows = targets, so <c>A.Multiply(h)</c> sums over each node's
/// in-neighbours; the attention operators gather per-edge rows ([E, N]) and sum them back per target ([N, E]).
/// Safe to use from several threads (layers updated side by side share one graph).
/// </summary>
public sealed class GraphTensors(EdgeIndex edges, Device device) : IDisposable
{
    private SparseOperator? _gcn, _mean, _gatherSource, _gatherTarget, _scatter;
    private int[]? _segments;
    private AttentionKernels? _attention;
    private readonly Lock _building = new();

    /// <summary>
    /// A rank's part of a graph in distributed training: GCN propagation by <paramref name="gcn"/> (rows: the rank's
    /// output rows; columns: its input rows, halo included), which the graph owns from now on. Other operators are not
    /// available on it.
    /// </summary>
    internal static GraphTensors Partial(SparseOperator gcn, Device device) =>
        new(EdgeIndex.Build(0, [], []), device) { _gcn = gcn, _partial = true };

    private bool _partial;

    /// <summary>The graph these operators are built from.</summary>
    public EdgeIndex Edges { get; } = edges;
    /// <summary>Device the operators live on.</summary>
    public Device Device { get; } = device;
    /// <summary>Number of nodes N.</summary>
    public int NumNodes => Edges.NumNodes;

    /// <summary>Â = D^−½ (A + I) D^−½ with degrees counted at targets, self-loops added where missing (PyG gcn_norm).</summary>
    internal SparseOperator GcnAdjacency { get { lock (_building) return _gcn ??= BuildGcn(); } }

    /// <summary>M with M[t, s] = 1 / in-degree(t) for every edge s → t; isolated nodes get an all-zero row.</summary>
    internal SparseOperator MeanAdjacency { get { lock (_building) return _mean ??= _partial ? throw Unavailable() : BuildMean(); } }

    private static NotSupportedException Unavailable() => new("a rank's partial graph offers GCN propagation only");

    /// <summary>[E, N]: row e picks the source of attention edge e (existing self-loops replaced by one per node).</summary>
    internal SparseOperator AttentionGatherSource { get { BuildAttention(); return _gatherSource!; } }

    /// <summary>[E, N]: row e picks the target of attention edge e.</summary>
    internal SparseOperator AttentionGatherTarget { get { BuildAttention(); return _gatherTarget!; } }

    /// <summary>[N, E]: sums the attention edges ending at each node.</summary>
    internal SparseOperator AttentionScatter { get { BuildAttention(); return _scatter!; } }

    /// <summary>Attention edges are sorted by target: node i owns edges Segments[i] .. Segments[i+1]−1.</summary>
    internal int[] AttentionSegments { get { BuildAttention(); return _segments!; } }

    internal int AttentionEdgeCount => AttentionSegments[^1];

    /// <summary>Fused attention-weighted aggregation over the attention edges (CPU).</summary>
    internal AttentionKernels Attention { get { BuildAttention(); return _attention!; } }

    private (List<int> Source, List<int> Target) WithSelfLoops(bool keepExisting) => WithSelfLoops(Edges, keepExisting);

    /// <summary>
    /// The edges with one self-loop per node: existing edges in order (with <paramref name="keepExisting"/>, the first
    /// self-loop of a node kept and later ones dropped; without, all dropped), then the missing self-loops.
    /// </summary>
    private static (List<int> Source, List<int> Target) WithSelfLoops(EdgeIndex edges, bool keepExisting)
    {
        var source = new List<int>(edges.Count + edges.NumNodes);
        var target = new List<int>(edges.Count + edges.NumNodes);
        var hasLoop = new bool[edges.NumNodes];
        for (int e = 0; e < edges.Count; e++)
        {
            int s = edges.Source[e], t = edges.Target[e];
            if (s == t) { if (!keepExisting || hasLoop[t]) continue; hasLoop[t] = true; }
            source.Add(s);
            target.Add(t);
        }
        for (int i = 0; i < edges.NumNodes; i++)
            if (!hasLoop[i]) { source.Add(i); target.Add(i); }
        return (source, target);
    }

    /// <summary>The entries of Â = D^−½ (A + I) D^−½ of <paramref name="edges"/>, in the order its operator is built from: Â[t, s] = w.</summary>
    internal static (List<int> Source, List<int> Target, double[] Values) GcnEntries(EdgeIndex edges)
    {
        (List<int> source, List<int> target) = WithSelfLoops(edges, keepExisting: true);
        var degree = new double[edges.NumNodes];
        foreach (int t in target) degree[t] += 1;
        var values = new double[source.Count];
        for (int e = 0; e < values.Length; e++) values[e] = 1.0 / Math.Sqrt(degree[source[e]] * degree[target[e]]);
        return (source, target, values);
    }

    private SparseOperator BuildGcn()
    {
        (List<int> source, List<int> target, double[] values) = GcnEntries(Edges);
        return new SparseOperator(NumNodes, NumNodes, target, source, values);
    }

    private SparseOperator BuildMean()
    {
        int[] degree = Edges.InDegree();
        double[] values = Edges.Target.Select(t => 1.0 / degree[t]).ToArray();
        return new SparseOperator(NumNodes, NumNodes, Edges.Target, Edges.Source, values);
    }

    private void BuildAttention()
    {
        lock (_building) BuildAttentionOnce();
    }

    private void BuildAttentionOnce()
    {
        if (_segments is not null) return;
        if (_partial) throw Unavailable();
        (List<int> source, List<int> target) = WithSelfLoops(keepExisting: false);
        int[] order = Enumerable.Range(0, source.Count).OrderBy(e => target[e]).ThenBy(e => source[e]).ToArray();
        int[] s = order.Select(e => source[e]).ToArray();
        int[] t = order.Select(e => target[e]).ToArray();
        int[] edge = Enumerable.Range(0, order.Length).ToArray();
        double[] ones = Enumerable.Repeat(1.0, order.Length).ToArray();
        _gatherSource = new SparseOperator(order.Length, NumNodes, edge, s, ones);
        _gatherTarget = new SparseOperator(order.Length, NumNodes, edge, t, ones);
        _scatter = new SparseOperator(NumNodes, order.Length, t, edge, ones);
        var segments = new int[NumNodes + 1];
        foreach (int node in t) segments[node + 1]++;
        for (int i = 0; i < NumNodes; i++) segments[i + 1] += segments[i];
        _segments = segments;
        _attention = AttentionKernels.FromTargetSorted(NumNodes, s, t);
    }

    /// <summary>Frees the sparse operators built so far.</summary>
    public void Dispose()
    {
        foreach (SparseOperator? op in new[] { _gcn, _mean, _gatherSource, _gatherTarget, _scatter }) op?.Dispose();
    }
}
