namespace ForwardGnn.Graphs;

/// <summary>
/// An immutable directed edge list over <see cref="NumNodes"/> nodes, in PyG's coalesced order: sorted by source,
/// then target, with no duplicates. Messages flow source → target (PyG's <c>edge_index[0] → edge_index[1]</c>).
/// </summary>
public sealed class EdgeIndex
{
    private EdgeIndex(int numNodes, int[] source, int[] target)
    {
        NumNodes = numNodes;
        Source = source;
        Target = target;
    }

    /// <summary>Number of nodes N; node ids are 0 .. N−1.</summary>
    public int NumNodes { get; }

    /// <summary>Source node of every edge, length <see cref="Count"/>.</summary>
    public int[] Source { get; }

    /// <summary>Target node of every edge, length <see cref="Count"/>.</summary>
    public int[] Target { get; }

    /// <summary>Number of directed edges.</summary>
    public int Count => Source.Length;

    /// <summary>
    /// Sorts and de-duplicates the given pairs; optionally drops self-loops and adds every reverse pair
    /// (PyG's <c>remove_self_loops</c> then <c>to_undirected</c>).
    /// </summary>
    public static EdgeIndex Build(int numNodes, ReadOnlySpan<int> source, ReadOnlySpan<int> target,
        bool removeSelfLoops = true, bool symmetrise = true)
    {
        if (source.Length != target.Length) throw new ArgumentException("source and target differ in length");
        var keys = new List<long>(symmetrise ? 2 * source.Length : source.Length);
        for (int e = 0; e < source.Length; e++)
        {
            int s = source[e], t = target[e];
            if ((uint)s >= (uint)numNodes || (uint)t >= (uint)numNodes)
                throw new ArgumentOutOfRangeException(nameof(source), $"edge ({s}, {t}) is outside 0..{numNodes - 1}");
            if (removeSelfLoops && s == t) continue;
            keys.Add((long)s * numNodes + t);
            if (symmetrise && s != t) keys.Add((long)t * numNodes + s);
        }
        return FromKeys(numNodes, keys);
    }

    /// <summary>Builds from edges already known to be in range.</summary>
    private static EdgeIndex FromKeys(int numNodes, List<long> keys)
    {
        keys.Sort();
        int unique = 0;
        for (int i = 0; i < keys.Count; i++)
            if (i == 0 || keys[i] != keys[i - 1]) keys[unique++] = keys[i];
        var src = new int[unique];
        var dst = new int[unique];
        for (int i = 0; i < unique; i++)
        {
            src[i] = (int)(keys[i] / numNodes);
            dst[i] = (int)(keys[i] % numNodes);
        }
        return new EdgeIndex(numNodes, src, dst);
    }

    /// <summary>True when every edge's reverse is also present.</summary>
    public bool IsUndirected()
    {
        var set = new HashSet<long>(Count);
        for (int e = 0; e < Count; e++) set.Add((long)Source[e] * NumNodes + Target[e]);
        for (int e = 0; e < Count; e++)
            if (!set.Contains((long)Target[e] * NumNodes + Source[e])) return false;
        return true;
    }

    /// <summary>Number of edges ending at each node (in-degree, self-loops counted once).</summary>
    public int[] InDegree()
    {
        var degree = new int[NumNodes];
        foreach (int t in Target) degree[t]++;
        return degree;
    }

    /// <summary>A copy with <paramref name="extraNodes"/> more nodes and the given edges appended, re-coalesced.</summary>
    public EdgeIndex WithEdges(int extraNodes, ReadOnlySpan<int> source, ReadOnlySpan<int> target)
    {
        int n = NumNodes + extraNodes;
        var keys = new List<long>(Count + source.Length);
        for (int e = 0; e < Count; e++) keys.Add((long)Source[e] * n + Target[e]);
        for (int e = 0; e < source.Length; e++) keys.Add((long)source[e] * n + target[e]);
        return FromKeys(n, keys);
    }
}
