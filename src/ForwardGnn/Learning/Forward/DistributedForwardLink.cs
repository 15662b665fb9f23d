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
        using var trainStream = new HaloStream(trainView, ranks, trainView.InputFeatures(features, c.Device), layers.Count);
        using var testStream = new HaloStream(testView, ranks, testView.InputFeatures(features, c.Device), layers.Count);
        int own = trainView.Own.Length;
        bool sparseFirst = features.Density <= FeatureTensor.DenseAbove;   // as the single process decides

        Tensor Probabilities(RankPairs pairs, int set, Tensor z)
        {
            using Tensor mine = ForwardLinkAlgorithm.Probabilities(algorithm.Objective, z, pairs.Local(set), theta);
            return pairs.Gather(set, mine, ranks);
        }

        RunResult result = LayerWise.Run(c, layers.Count, clock, l =>
        {
            LocalLayer layer = layers[l];
            bool sparse = l == 0 && sparseFirst;
            using Tensor trainRows = Rows(trainStream, trainPairs, ranks, sparse);
            Tensor Forward(Tensor rows) => layer.Conv.ForwardAggregated(rows, rows).relu_();
            Tensor Output(Tensor rows)
            {
                using var scope = NewDisposeScope();   // the conv's intermediates are [rows, d] each
                return Forward(rows).MoveToOuterDisposeScope();
            }
            Tensor Loss()
            {
                Tensor loss = algorithm.Loss(Forward(trainRows), trainPairs.Local(TrainSet), theta);
                double share = trainPairs.Share(TrainSet);
                return share == 0 ? loss.mul(HeldScalars.Of(0)).nan_to_num() : loss.mul(HeldScalars.Of(share));
            }
            double Validate()
            {
                using var _ = no_grad();
                using var inner = NewDisposeScope();
                return val.RocAuc(Probabilities(trainPairs, ValSet, Forward(trainRows)));
            }
            (int epochs, _) = TrainingSchedule.Train(c, l + 1, layer.Conv, () => layer.Step(Loss), Validate, clock);

            using var frozen = no_grad();
            using Tensor zTrain = Output(trainRows);
            double valAuc = val.Freeze(Probabilities(trainPairs, ValSet, zTrain));
            using Tensor testRows = Rows(testStream, testPairs, ranks, sparse);
            using Tensor zTest = Output(testRows);
            double testAuc = test.Freeze(Probabilities(testPairs, 0, zTest));
            using (Tensor ownRows = zTrain.narrow(0, 0, own)) trainStream.Advance(ownRows, l);
            using (Tensor ownRows = zTest.narrow(0, 0, own)) testStream.Advance(ownRows, l);
            return new LayerOutcome(testAuc, valAuc, epochs);
        });
        var options = new Dictionary<string, double> { ["theta"] = theta };
        return c.Deliver(result, new ForwardLinkModel(c.Card(algorithm.Name) with { Options = options }, layers.Select(l => l.TakeConv()).ToArray(),
            algorithm.Objective));
    }

    /// <summary>
    /// A layer's aggregated input on this rank, Â·LN(input) for [own + received pair targets] rows. With
    /// <paramref name="sparse"/> (layer 1 on sparse features) the rows are handed to the conv as sparse features, so
    /// every step multiplies only their non-zeros (a few per cent of F on bag-of-words features) instead of all F
    /// columns: the single process does the same on layer 1.
    /// </summary>
    private static Tensor Rows(HaloStream stream, RankPairs pairs, ICommunicator ranks, bool sparse)
    {
        using Tensor aggregated = stream.Aggregate();
        Tensor rows = pairs.WithTargets(aggregated, ranks);
        if (!sparse) return rows;
        using (rows)
            return SparseFeatures.FromDense(rows);
    }
}
