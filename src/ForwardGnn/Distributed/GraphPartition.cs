using ForwardGnn.Graphs;

namespace ForwardGnn.Distributed;

/// <summary>
/// Which rank owns each node of a graph: METIS k-way on the undirected graph, balanced by node count and by training
/// nodes (two constraints, so every rank gets its share of the loss), minimising the edges cut. One part owns all.
/// </summary>
internal sealed record GraphPartition(int Parts, int[] Owner)
{
    /// <summary>The nodes rank <paramref name="rank"/> owns, ascending.</summary>
    public int[] Nodes(int rank) => Enumerable.Range(0, Owner.Length).Where(i => Owner[i] == rank).ToArray();

    /// <summary>Partitions the <paramref name="edges"/>' nodes into <paramref name="parts"/> parts with METIS (seeded, so every rank computes the same).</summary>
    /// <param name="edges">The graph (both directions of each edge; self-loops are ignored).</param>
    /// <param name="parts">The number of ranks K.</param>
    /// <param name="train">Which nodes carry a training loss.</param>
    public static unsafe GraphPartition Metis(EdgeIndex edges, int parts, bool[] train)
    {
        int n = edges.NumNodes;
        if (parts == 1) return new GraphPartition(1, new int[n]);
        if (!MetisNative.IsAvailable())
            throw new InvalidOperationException("METIS (libmetis.so.5) is not installed: apt-get install libmetis5 (build/ensure-mpi.sh does)");
        var neighbours = new List<int>[n];
        for (int i = 0; i < n; i++) neighbours[i] = [];
        for (int e = 0; e < edges.Count; e++)
            if (edges.Source[e] != edges.Target[e]) neighbours[edges.Target[e]].Add(edges.Source[e]);
        int[] rowPointer = new int[n + 1];
        for (int i = 0; i < n; i++)
        {
            neighbours[i] = [.. neighbours[i].Distinct().Order()];
            rowPointer[i + 1] = rowPointer[i] + neighbours[i].Count;
        }
        int[] adjacency = neighbours.SelectMany(x => x).ToArray();
        int[] weights = Enumerable.Range(0, n).SelectMany(i => new[] { 1, train[i] ? 1 : 0 }).ToArray();
        int constraints = train.Any(t => t) ? 2 : 1;
        if (constraints == 1) weights = Enumerable.Repeat(1, n).ToArray();
        var options = new int[MetisNative.Options];
        var owner = new int[n];
        int vertices = n, k = parts, cut;
        fixed (int* o = options) MetisNative.METIS_SetDefaultOptions(o);
        options[MetisNative.OptionSeed] = 1;
        fixed (int* rp = rowPointer, adj = adjacency, w = weights, o = options, part = owner)
        {
            int status = MetisNative.METIS_PartGraphKway(&vertices, &constraints, rp, adjacency.Length == 0 ? null : adj, w, null, null, &k,
                null, null, o, &cut, part);
            if (status != MetisNative.Ok) throw new InvalidOperationException($"METIS_PartGraphKway failed ({status})");
        }
        return new GraphPartition(parts, owner);
    }
}
