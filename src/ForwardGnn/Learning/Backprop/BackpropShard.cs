using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Distributed;

namespace ForwardGnn.Learning.Backprop;

/// <summary>
/// What one rank of distributed BP reads of the data (a <see cref="RankShard"/>): its part of the graph (every node
/// partitioned, as in SF, by the same METIS call: <see cref="PartitionPlan"/>) and its own and halo rows of X as the
/// single process reads them (not normalised), dense [own + halo, F].
/// </summary>
internal static class BackpropShard
{
    /// <summary>The kind in a BP shard's key (<see cref="RankShard.Key"/>).</summary>
    public const string Kind = "bp";

    /// <summary>The shards of <paramref name="ranks"/> (of <paramref name="parts"/>), one at a time, from one partition of the graph.</summary>
    /// <param name="data">The whole dataset.</param>
    /// <param name="split">The node split: its training nodes balance the partition.</param>
    /// <param name="parts">The number of ranks K.</param>
    /// <param name="ranks">The ranks wanted, ascending.</param>
    public static IEnumerable<(int Rank, RankShard Shard)> Of(GraphDataset data, NodeSplit split, int parts, IReadOnlyCollection<int> ranks)
    {
        GraphPartition partition = GraphPartition.Metis(data.Edges, parts, NodeSplit.Mask(data.NumNodes, split.Train));
        int[] wanted = [.. ranks.Order()];
        int i = 0;
        foreach (PartitionPlan plan in PartitionPlan.All(data.Edges, data.NumNodes, partition, wanted))
            yield return (wanted[i++], new RankShard(plan, data.NumFeatures, PartitionView.DenseRows(data.Features, [.. plan.Own, .. plan.Halo.Received])));
    }
}
