using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Distributed;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// What one rank of distributed SF reads of the data (a <see cref="RankShard"/>): its part of the augmented graph G′
/// (real nodes partitioned, the C class nodes replicated: <see cref="PartitionPlan"/>) and its own and halo rows of
/// LN(X), dense [own + halo, F]. The class nodes' features are drawn by every rank from the run's seed, so a shard
/// holds nothing random.
/// </summary>
internal static class SingleForwardShard
{
    /// <summary>The kind in an SF shard's key (<see cref="RankShard.Key"/>).</summary>
    public const string Kind = "sf";

    /// <summary>The shards of <paramref name="ranks"/> (of <paramref name="parts"/>), one at a time, from one partition of the graph.</summary>
    /// <param name="data">The whole dataset.</param>
    /// <param name="split">The node split: its training nodes are linked to their class nodes and balance the partition.</param>
    /// <param name="parts">The number of ranks K.</param>
    /// <param name="ranks">The ranks wanted, ascending.</param>
    public static IEnumerable<(int Rank, RankShard Shard)> Of(GraphDataset data, NodeSplit split, int parts, IReadOnlyCollection<int> ranks)
    {
        var augmenter = new VirtualNodeAugmenter(data, new float[data.NumClasses * data.NumFeatures]);   // the graph only: its features are never built
        bool[] train = augmenter.Mask(split.Train);
        GraphPartition partition = GraphPartition.Metis(data.Edges, parts, train);
        EdgeIndex graph = augmenter.Augment(data.Labels, train);
        CsrMatrix normalized = RowNorm.Apply(data.Features);
        int[] wanted = [.. ranks.Order()];
        int i = 0;
        foreach (PartitionPlan plan in PartitionPlan.All(graph, data.NumNodes, partition, wanted))
            yield return (wanted[i++], new RankShard(plan, data.NumFeatures, PartitionView.DenseRows(normalized, [.. plan.Own, .. plan.Halo.Received])));
    }

    /// <summary>
    /// Layer 1's input rows on this rank, [own + halo + C, F]: the shard's rows of LN(X), then LN(V) of the class
    /// features V [C, F] (row-major), normalised as the single process normalises X_aug's rows.
    /// </summary>
    /// <remarks>A shard read from a file hands over the tensor it read into (call once); read it with C extra rows.</remarks>
    public static Tensor InputRows(RankShard shard, float[] classFeatures, int classes, Device device)
    {
        int f = shard.Features;
        var pointer = Enumerable.Range(0, classes + 1).Select(r => r * f).ToArray();
        int[] index = [.. Enumerable.Range(0, classes).SelectMany(_ => Enumerable.Range(0, f))];
        CsrMatrix classRows = RowNorm.Apply(new CsrMatrix(classes, f, pointer, index, classFeatures));
        using Tensor virtualRows = tensor(classRows.Values, [classes, f], device: device);
        Tensor input = shard.InputRows(classes, device);
        using (Tensor tail = input.narrow(0, input.shape[0] - classes, classes)) tail.copy_(virtualRows);
        return input;
    }
}
