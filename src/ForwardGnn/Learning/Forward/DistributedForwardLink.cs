using System.Diagnostics;
using ForwardGnn.Data;
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
/// FL-CE on K ranks (GCN link prediction). The nodes are partitioned on the training graph (balanced by nodes and by
/// training pairs' sources), and a pair (u, v) belongs to the rank owning u (<see cref="RankPairs"/>). Per layer, the
/// training graph's and the test graph's inputs each make one halo exchange (<see cref="HaloStream"/>: between layers
/// only; layer 1's rows of LN(X) are read from the data), each rank aggregates A = Â·LN(input) for its own rows once,
/// and one more exchange per graph brings the aggregated rows of the pair targets other ranks own. Each step computes
/// z = ReLU(A·Wᵀ + b) on [own + targets] rows, BCE over the rank's training pairs × |own pairs| / |pairs|, and sums
/// gradients and loss over the ranks in one all-reduce (<see cref="GradientSum"/>). Validation and test
/// probabilities are assembled on every rank (one all-reduce of a [pairs] vector), so every rank computes the same
/// ROC-AUC and early stopping decides the same everywhere.
/// <para>On sparse features, layer 1 instead reads the feature rows of its [own + targets] rows' neighbours from the
/// data (<see cref="FeatureNeighbourhood"/>) and computes z = ReLU(Â·(LN(X)·Wᵀ) + b) there, as the single process does:
/// Â·X is several times denser than X (Cora_ML: 229 against 51 non-zeros a row), so a step on it would cost several
/// times the single process's layer 1, and nothing is sent for layer 1.</para>
/// </summary>
internal static class DistributedForwardLink
{
    private const int TrainSet = 0, ValSet = 1;

    public static RunResult Run(RunContext c, ICommunicator ranks, ForwardLinkAlgorithm algorithm)
    {
        if (c.Config.Gnn != GnnKind.Gcn || algorithm.Objective != LinkObjective.CrossEntropy)
            throw new NotSupportedException("distributed forward link prediction supports fl-ce with GCN in this build");
        EdgeSplit split = c.EdgeSplit ?? throw new ArgumentException($"{algorithm.Name} needs an edge split");
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);   // the same initial parameters on every rank
        using var layers = new LocalLayers(c.Config, c.Data.NumFeatures, cacheFixedInputs: true, ranks: ranks);
        int n = c.Data.NumNodes;
        var sources = new bool[n];
        foreach (int u in split.Train.Source) sources[u] = true;
        GraphPartition partition = GraphPartition.Metis(split.TrainGraph, ranks.Size, sources);
        using var trainView = new PartitionView(split.TrainGraph, n, partition, ranks.Rank, c.Device);
        using var testView = new PartitionView(split.TestGraph, n, partition, ranks.Rank, c.Device);
        var trainPairs = new RankPairs(partition, ranks.Rank, trainView.Own, [split.Train, split.Val], c.Device);
        var testPairs = new RankPairs(partition, ranks.Rank, testView.Own, [split.Test], c.Device);
        var val = new ScoredPairs(LinkPairs.From(split.Val, c.Device));
        var test = new ScoredPairs(LinkPairs.From(split.Test, c.Device));
        double theta = c.Config.Forward.Theta;
        CsrMatrix features = RowNorm.Apply(c.Data.Features);
        // Layer 1 on sparse features (as the single process decides) is computed from the data on [own + targets] rows:
        // X's non-zeros projected, then aggregated, as the single process does; no dense Â·X, no exchange of its rows.
        bool fromFeatures = features.Density <= FeatureTensor.DenseAbove;
        using FeatureNeighbourhood? trainFirst = fromFeatures ? new(split.TrainGraph, [.. trainView.Own, .. trainPairs.Targets.Received], features, c.Device) : null;
        using FeatureNeighbourhood? testFirst = fromFeatures ? new(split.TestGraph, [.. testView.Own, .. testPairs.Targets.Received], features, c.Device) : null;
        using var trainStream = new HaloStream(trainView, ranks, fromFeatures ? null : trainView.InputFeatures(features, c.Device), layers.Count);
        using var testStream = new HaloStream(testView, ranks, fromFeatures ? null : testView.InputFeatures(features, c.Device), layers.Count);
        int own = trainView.Own.Length;

        Tensor Probabilities(RankPairs pairs, int set, Tensor z)
        {
            using Tensor mine = ForwardLinkAlgorithm.Probabilities(algorithm.Objective, z, pairs.Local(set), theta);
            return pairs.Gather(set, mine, ranks);
        }

        RunResult result = LayerWise.Run(c, layers.Count, clock, l =>
        {
            LocalLayer layer = layers[l];
            bool first = l == 0 && fromFeatures;
            using Tensor? trainRows = first ? null : Rows(trainStream, trainPairs, ranks);
            // z [own + targets, d]: from the features (layer 1, sparse) or from the aggregated input rows.
            Tensor Forward(Tensor? rows, FeatureNeighbourhood? neighbourhood) => rows is null
                ? layer.Conv.ForwardRelu(neighbourhood!.Features, neighbourhood.Graph)
                : layer.Conv.ForwardAggregated(rows, rows).relu_();
            Tensor Output(Tensor? rows, FeatureNeighbourhood? neighbourhood)
            {
                using var scope = NewDisposeScope();   // the conv's intermediates are [rows, d] each
                return Forward(rows, neighbourhood).MoveToOuterDisposeScope();
            }
            Tensor Loss()
            {
                Tensor loss = algorithm.Loss(Forward(trainRows, trainFirst), trainPairs.Local(TrainSet), theta);
                double share = trainPairs.Share(TrainSet);
                return share == 0 ? loss.mul(HeldScalars.Of(0)).nan_to_num() : loss.mul(HeldScalars.Of(share));
            }
            double Validate()
            {
                using var _ = no_grad();
                using var inner = NewDisposeScope();
                return val.RocAuc(Probabilities(trainPairs, ValSet, Forward(trainRows, trainFirst)));
            }
            (int epochs, _) = TrainingSchedule.Train(c, l + 1, layer.Conv, () => layer.Step(Loss), Validate, clock);

            using var frozen = no_grad();
            using Tensor zTrain = Output(trainRows, trainFirst);
            double valAuc = val.Freeze(Probabilities(trainPairs, ValSet, zTrain));
            using Tensor? testRows = first ? null : Rows(testStream, testPairs, ranks);
            using Tensor zTest = Output(testRows, testFirst);
            double testAuc = test.Freeze(Probabilities(testPairs, 0, zTest));
            using (Tensor ownRows = zTrain.narrow(0, 0, own)) trainStream.Advance(ownRows, l);
            using (Tensor ownRows = zTest.narrow(0, 0, own)) testStream.Advance(ownRows, l);
            return new LayerOutcome(testAuc, valAuc, epochs);
        });
        var options = new Dictionary<string, double> { ["theta"] = theta };
        return c.Deliver(result, new ForwardLinkModel(c.Card(algorithm.Name) with { Options = options }, layers.Select(l => l.TakeConv()).ToArray(),
            algorithm.Objective));
    }

    /// <summary>A layer's aggregated input on this rank, Â·LN(input) for [own + received pair targets] rows.</summary>
    private static Tensor Rows(HaloStream stream, RankPairs pairs, ICommunicator ranks)
    {
        using Tensor aggregated = stream.Aggregate();
        return pairs.WithTargets(aggregated, ranks);
    }
}
