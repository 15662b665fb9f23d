using ForwardGnn.Graphs;

namespace ForwardGnn.Distributed;

/// <summary>
/// What one rank needs of a graph for GCN aggregation, as plain arrays (a <see cref="PartitionView"/> is built from it;
/// a shard file stores it): its own nodes, its halo exchange, and its rows of Â = D^−½ (A + I) D^−½ (the whole
/// graph's degrees) as entries (row, column, weight) in local rows — output rows [own + replicated], input rows
/// [own + halo + replicated]. The replicated nodes' rows hold this rank's partial sums (their self-loop on rank 0 only).
/// </summary>
/// <param name="Real">The number of partitioned (real) nodes; the replicated ones follow them.</param>
/// <param name="Replicated">The number of replicated nodes.</param>
/// <param name="Own">The own nodes (global ids), ascending.</param>
/// <param name="Halo">The halo exchange: real nodes of other ranks with an edge into an own node.</param>
/// <param name="Rows">Each entry's output row.</param>
/// <param name="Columns">Each entry's input row.</param>
/// <param name="Weights">Each entry's weight.</param>
internal sealed record PartitionPlan(int Real, int Replicated, int[] Own, RowExchange Halo, int[] Rows, int[] Columns, double[] Weights)
{
    /// <summary>Rows of a layer input: own, halo, replicated.</summary>
    public int InputRows => Own.Length + Halo.Received.Length + Replicated;

    /// <summary>Rank <paramref name="rank"/>'s plan for <paramref name="graph"/>, whose first <paramref name="real"/> nodes are partitioned.</summary>
    public static PartitionPlan Of(EdgeIndex graph, int real, GraphPartition partition, int rank) => Of(GraphTensors.GcnEntries(graph), graph.NumNodes, real, partition, rank);

    /// <summary>The plans of <paramref name="ranks"/> in turn (ascending), from one computation of Â.</summary>
    public static IEnumerable<PartitionPlan> All(EdgeIndex graph, int real, GraphPartition partition, IEnumerable<int> ranks)
    {
        var entries = GraphTensors.GcnEntries(graph);
        foreach (int rank in ranks.Order()) yield return Of(entries, graph.NumNodes, real, partition, rank);
    }

    private static PartitionPlan Of((List<int> Source, List<int> Target, double[] Weight) gcn, int n, int real, GraphPartition partition, int rank)
    {
        (List<int> source, List<int> target, double[] weight) = gcn;
        int replicated = n - real;
        int[] owner = partition.Owner;
        bool IsOwn(int node) => node < real && owner[node] == rank;
        int[] own = Enumerable.Range(0, real).Where(IsOwn).ToArray();

        // Halo nodes: real sources of other ranks on edges into own nodes.
        var halo = new RowExchange(owner, partition.Parts, rank, own, Enumerable.Range(0, source.Count).Select(e => (target[e], source[e])));
        var localOf = new Dictionary<int, int>(own.Length + halo.Received.Length + replicated);
        for (int i = 0; i < own.Length; i++) localOf[own[i]] = i;
        for (int i = 0; i < halo.Received.Length; i++) localOf[halo.Received[i]] = own.Length + i;
        for (int v = 0; v < replicated; v++) localOf[real + v] = own.Length + halo.Received.Length + v;

        var rows = new List<int>();
        var columns = new List<int>();
        var entries = new List<double>();
        for (int e = 0; e < source.Count; e++)
        {
            int s = source[e], t = target[e];
            bool keep = IsOwn(t) || (t >= real && (IsOwn(s) || (s >= real && rank == 0)));
            if (!keep) continue;
            rows.Add(t < real ? localOf[t] : own.Length + (t - real));
            columns.Add(localOf[s]);
            entries.Add(weight[e]);
        }
        return new PartitionPlan(real, replicated, own, halo, [.. rows], [.. columns], [.. entries]);
    }

    /// <summary>Writes the plan (<see cref="Read"/> reads it back).</summary>
    public void Write(BinaryWriter w)
    {
        w.Write(Real);
        w.Write(Replicated);
        Arrays.Write(w, Own);
        Halo.Write(w);
        Arrays.Write(w, Rows);
        Arrays.Write(w, Columns);
        Arrays.Write(w, Weights);
    }

    /// <summary>A plan <see cref="Write"/> wrote.</summary>
    public static PartitionPlan Read(BinaryReader r) =>
        new(r.ReadInt32(), r.ReadInt32(), Arrays.ReadInts(r), RowExchange.Read(r), Arrays.ReadInts(r), Arrays.ReadInts(r), Arrays.Read<double>(r));
}
