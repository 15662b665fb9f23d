using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Distributed;
using ForwardGnn.Engine;
using ForwardGnn.Layers;
using ForwardGnn.Models;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// SF on K ranks (GCN). The real nodes are partitioned (<see cref="GraphPartition"/>); the virtual class nodes are
/// replicated. A layer's input is fixed while it trains, so per layer each rank exchanges its halo rows once
/// (<see cref="HaloStream"/>: between layers only; layer 1's rows are read from the data), aggregates Â·LN(input) for
/// its own rows once, and all-reduces the class nodes' partial aggregates once. Each step then computes ReLU(A·Wᵀ + b) on its rows, its share of the loss
/// (CE over its own training nodes × |own train| / |train|), and sums gradients and loss over the ranks
/// (<see cref="GradientSum"/>): every rank takes the same Adam step as one process on the whole graph, up to the order
/// of float additions. Validation and test counts are summed, so early stopping decides the same everywhere. On sparse
/// features layer 1 is instead computed every step from the rank's feature rows (<see cref="SparseFirstLayer"/>).
/// </summary>
internal static class DistributedSingleForward
{
    public static RunResult Run(RunContext c, ICommunicator ranks)
    {
        if (c.Config.Gnn != GnnKind.Gcn) throw new NotSupportedException("distributed SF supports GCN in this build");
        NodeSplit split = c.NodeSplit ?? throw new ArgumentException("sf needs a node split");
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);   // the same initial parameters on every rank
        using var layers = new LocalLayers(c.Config, c.Data.NumFeatures, cacheFixedInputs: true, ranks: ranks);
        int classes = c.Data.NumClasses;
        float[] classFeatures = randn(classes, c.Data.NumFeatures).data<float>().ToArray();   // drawn after the model, as the single process draws them
        double temperature = c.Config.Forward.Temperature;
        RankShard shard = c.ShardFile is { } file
            ? RankShard.Read(file, RankShard.Key(SingleForwardShard.Kind, c.Data, split, ranks.Size, ranks.Rank), classes, c.Device)
            : SingleForwardShard.Of(c.Data, split, ranks.Size, [ranks.Rank]).Single().Shard;
        using var view = new PartitionView(shard.Plan, c.Device);
        NodeSets own = OwnNodes(c, view, split);
        double share = (double)own.Train.shape[0] / split.Train.Length;
        var votes = new ClassVotes(own, (z, subset) => SingleForwardAlgorithm.Scores(z, subset, own.Virtual, temperature));

        // Layer 1 reads LN(X_aug)'s own, halo and class rows from the shard: nothing is sent before it. On sparse features
        // it is computed from them every step, as the single process does (SparseFirstLayer), not from a dense Â·LN(X_aug).
        Tensor? firstInput = SingleForwardShard.InputRows(shard, classFeatures, classes, c.Device);
        shard = null!;   // its rows are in firstInput now
        using SparseFirstLayer? sparseFirst = SparseFirstLayer.Applies(view, firstInput, ranks) ? new SparseFirstLayer(view, firstInput, ranks, c.Device) : null;
        if (sparseFirst is not null)
        {
            firstInput.Dispose();
            firstInput = null;
        }
        using var stream = new HaloStream(view, ranks, firstInput, layers.Count);
        RunResult result = LayerWise.Run(c, layers.Count, clock, l =>
        {
            GraphConv conv = layers[l].Conv;
            using Tensor? aggregated = l == 0 && sparseFirst is not null ? null : stream.Aggregate();
            Func<Tensor> forward = aggregated is null ? () => sparseFirst!.Forward(conv) : () => conv.ForwardAggregated(aggregated, aggregated).relu_();
            (Tensor output, LayerOutcome outcome) = TrainLayer(c, layers[l], l + 1, forward, own, votes, ranks, share, temperature, clock);
            stream.Advance(output, l);
            output.Dispose();
            return outcome;
        });
        return c.Deliver(result, new SingleForwardModel(c.Card("sf") with { Options = new Dictionary<string, double> { ["temperature"] = temperature } },
            layers.Select(l => l.TakeConv()).ToArray(), classFeatures));
    }

    // forward: z = ReLU(conv(LN(input))) on the rank's rows, [own + C, d], with grad.
    private static (Tensor Output, LayerOutcome Outcome) TrainLayer(RunContext c, LocalLayer layer, int depth, Func<Tensor> forward, NodeSets own,
        ClassVotes votes, ICommunicator ranks, double share, double temperature, Stopwatch clock)
    {
        Tensor Forward() => forward();
        Tensor Loss()
        {
            Tensor loss = nn.functional.cross_entropy(SingleForwardAlgorithm.Scores(Forward(), own.Train, own.Virtual, temperature), own.TrainLabels);
            return own.Train.shape[0] == 0 ? loss.mul(HeldScalars.Of(0)).nan_to_num() : loss.mul(HeldScalars.Of(share));
        }
        Tensor Output()
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();   // the conv's intermediates are [own + C, d] each
            return Forward().MoveToOuterDisposeScope();
        }
        double Accuracy(Tensor z, Tensor subset, Tensor labels, Tensor frozen) =>
            GlobalAccuracy.Of(ranks, votes.Correct(z, subset, labels, frozen), (int)subset.shape[0]);

        (int epochs, _) = TrainingSchedule.Train(c, depth, layer.Conv, () => layer.Step(Loss),
            () =>
            {
                using Tensor z = Output();
                return Accuracy(z, own.Val, own.ValLabels, votes.Val);
            }, clock);
        Tensor output = Output();
        double val = Accuracy(output, own.Val, own.ValLabels, votes.Val);
        double test = Accuracy(output, own.Test, own.TestLabels, votes.Test);
        votes.Add(output);
        return (output, new LayerOutcome(test, val, epochs));
    }

    /// <summary>This rank's part of the split in its local rows; the class nodes are rows own..own + C − 1 of a layer output.</summary>
    private static NodeSets OwnNodes(RunContext c, PartitionView view, NodeSplit split)
    {
        var local = new Dictionary<int, long>(view.Own.Length);
        for (int i = 0; i < view.Own.Length; i++) local[view.Own[i]] = i;
        (Tensor Index, Tensor Labels) Part(int[] nodes)
        {
            int[] kept = nodes.Where(local.ContainsKey).ToArray();
            return (tensor(kept.Select(n => local[n]).ToArray(), device: c.Device), tensor(kept.Select(n => (long)c.Data.Labels[n]).ToArray(), device: c.Device));
        }
        var train = Part(split.Train);
        var val = Part(split.Val);
        var test = Part(split.Test);
        Tensor virtualRows = tensor(Enumerable.Range(view.Own.Length, view.Replicated).Select(i => (long)i).ToArray(), device: c.Device);
        return new NodeSets(train.Index, train.Labels, val.Index, val.Labels, test.Index, test.Labels, virtualRows, c.Data.NumClasses);
    }
}
