using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Models;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Learning.Forward;

/// <summary>The local edge objective of layer-wise link prediction (spec §5.2).</summary>
internal enum LinkObjective
{
    /// <summary>FL-CE: BCE on s_uv = ⟨z_u, z_v⟩ over positive and negative pairs in one batch.</summary>
    CrossEntropy,

    /// <summary>FL-FF: goodness g_uv = Σ_k (z_u ⊙ z_v)_k² − θ, BCE averaged separately over positives and negatives.</summary>
    ForwardForward,

    /// <summary>FL-SymBa: softplus(−α (g⁺ − g⁻)) on the FL-FF goodness of the k-th positive and k-th negative pair (spec §11.2).</summary>
    SymBa,
}

/// <summary>
/// FL, layer-wise forward learning for link prediction (spec §5.2): layers ReLU(conv_ℓ(LN(H))) trained greedily on
/// the training message-passing graph with a local edge objective on the fixed training pairs. A pair's probability
/// after ℓ layers is the mean over layers k ≤ ℓ of σ(score_k(u, v)); validation uses the training graph (as PyG's
/// RandomLinkSplit), testing the train ∪ val graph. One run reports every depth 1..L.
/// </summary>
internal sealed class ForwardLinkAlgorithm(string name, LinkObjective objective) : ILearningAlgorithm, IModelRestorer
{
    public string Name { get; } = name;

    public LinkObjective Objective { get; } = objective;

    public bool Supports(TaskKind task) => task == TaskKind.Link;

    public bool ReportsEveryDepth => true;

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => ForwardLinkModel.Restore(card, weights, Objective);

    public RunResult Run(RunContext c)
    {
        if (c.Ranks is { Size: > 1 }) return DistributedForwardLink.Run(c, c.Ranks, this);
        EdgeSplit split = c.EdgeSplit ?? throw new ArgumentException($"{Name} needs an edge split");
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);
        using var layers = new LocalLayers(c.Config, c.Data.NumFeatures, cacheFixedInputs: true);
        using var trainGraph = new GraphTensors(split.TrainGraph, c.Device);
        using var testGraph = new GraphTensors(split.TestGraph, c.Device);
        var train = LinkPairs.From(split.Train, c.Device);
        var val = new ScoredPairs(LinkPairs.From(split.Val, c.Device));
        var test = new ScoredPairs(LinkPairs.From(split.Test, c.Device));
        Tensor features = FeatureTensor.From(RowNorm.Apply(c.Data.Features), c.Device);
        double theta = c.Config.Forward.Theta;
        var trainStream = new FeedStream(features, trainGraph);       // validation shares the training graph
        var testStream = new FeedStream(features, testGraph);

        RunResult result = LayerWise.Run(c, layers.Count, clock, l =>
        {
            LocalLayer layer = layers[l];
            (int epochs, _) = TrainingSchedule.Train(c, l + 1, layer.Conv,
                () => layer.Step(() => Loss(trainStream.Forward(layer), train, theta)),
                () => val.RocAuc(Probabilities(Objective, trainStream.Forward(layer), val.Pairs, theta)), clock);
            using var frozen = no_grad();
            Tensor valProbability = Probabilities(Objective, trainStream.Advance(layer, accumulateScore: false), val.Pairs, theta);
            Tensor testProbability = Probabilities(Objective, testStream.Advance(layer, accumulateScore: false), test.Pairs, theta);
            var outcome = new LayerOutcome(test.Freeze(testProbability), val.Freeze(valProbability), epochs);
            layer.ClearCache();
            return outcome;
        });
        var options = new Dictionary<string, double> { ["theta"] = theta };
        return c.Deliver(result, new ForwardLinkModel(c.Card(Name) with { Options = options }, layers.Select(l => l.TakeConv()).ToArray(), Objective));
    }

    internal Tensor Loss(Tensor z, LinkPairs pairs, double theta = Forward.Goodness.Theta)
    {
        if (Objective == LinkObjective.CrossEntropy)
            return nn.functional.binary_cross_entropy_with_logits(pairs.Scores(z), pairs.Labels);
        Tensor goodness = Goodness(z, pairs, theta);
        Tensor positive = pairs.Labels.gt(HeldScalars.Of(0.5));
        Tensor pos = goodness.masked_select(positive), neg = goodness.masked_select(positive.logical_not());
        if (Objective == LinkObjective.SymBa) return Forward.SymBa.Loss(pos, neg);
        return nn.functional.binary_cross_entropy_with_logits(pos, ones_like(pos))
            .add(nn.functional.binary_cross_entropy_with_logits(neg, zeros_like(neg)), One);
    }

    /// <summary>A pair's probability from one layer's output z: σ(⟨z_u, z_v⟩) (CE) or σ(goodness) (FF, SymBa), [P].</summary>
    internal static Tensor Probabilities(LinkObjective objective, Tensor z, LinkPairs pairs, double theta) => objective == LinkObjective.CrossEntropy
        ? pairs.Scores(z).sigmoid()
        : Goodness(z, pairs, theta).nan_to_num().sigmoid();

    /// <summary>g_uv = Σ_k (z_u ⊙ z_v)_k² − θ.</summary>
    private static Tensor Goodness(Tensor z, LinkPairs pairs, double theta) =>
        pairs.SquaredScores(z).sub(HeldScalars.Of(theta));
}
