using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Models;
using ForwardGnn.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Baselines;

/// <summary>
/// CaFo, cascaded forward (Zhao et al. 2023; spec §11.3). The GNN blocks f_ℓ(H) = ReLU(conv_ℓ(LN(H))) keep their
/// random initialisation and are never trained; each block's output H_ℓ [N, d] gets its own predictor, trained
/// alone with Adam on that block's fixed output and early-stopped on validation like a forward layer.
/// <list type="bullet">
/// <item>Node classification: predictor W_ℓ H_ℓ + b_ℓ → [N, C] with cross-entropy on the training nodes (the paper
/// leaves the loss open; CE is CaFo's usual choice). The prediction after ℓ blocks is argmax Σ_{k≤ℓ} softmax(W_k H_k + b_k).</item>
/// <item>Link prediction: predictor P_ℓ [d, d] (no bias), score ⟨P_ℓ h_u, P_ℓ h_v⟩ with BCE on the fixed training
/// pairs (paper Sec 4.3: layer-wise link predictors trained with BCE; the predictor's form is ours). The probability
/// after ℓ blocks is the mean over k ≤ ℓ of σ(score_k), as in FL.</item>
/// </list>
/// One run reports every depth 1..L.
/// </summary>
internal sealed class CascadedForwardAlgorithm : ILearningAlgorithm, IModelRestorer
{
    public string Name => "cafo";

    public bool ReportsEveryDepth => true;

    public bool Supports(TaskKind task) => true;

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => CascadedForwardModel.Restore(card, weights);

    public RunResult Run(RunContext c)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(c.Seed);
        using var blocks = new LocalLayers(c.Config, c.Data.NumFeatures);
        var predictors = new List<Linear>();
        RunResult result = Run(c, blocks, predictors);
        var model = new CascadedForwardModel(c.Card(Name), blocks.Select(b => b.TakeConv()).ToArray(), [.. predictors]);
        return c.Deliver(result, model);
    }

    /// <summary>Freezes <paramref name="blocks"/> as they are and trains one predictor per block.</summary>
    /// <param name="predictors">Receives the trained predictors, block 1 first (the caller owns them); null: released.</param>
    /// <param name="c">The run: data, configuration, split and device.</param>
    /// <param name="blocks">The blocks to freeze, already built from the input features.</param>
    internal static RunResult Run(RunContext c, LocalLayers blocks, List<Linear>? predictors = null)
    {
        var clock = Stopwatch.StartNew();
        foreach (LocalLayer block in blocks)
            foreach (Parameter p in block.Conv.parameters()) p.requires_grad = false;
        Tensor features = FeatureTensor.From(RowNorm.Apply(c.Data.Features), c.Device);
        var trained = predictors ?? [];
        RunResult result = c.Config.Task == TaskKind.Node
            ? RunNode(c, blocks, features, clock, trained)
            : RunLink(c, blocks, features, clock, trained);
        if (predictors is null) foreach (Linear p in trained) p.Dispose();
        return result;
    }

    private static RunResult RunNode(RunContext c, LocalLayers blocks, Tensor features, Stopwatch clock, List<Linear> predictors)
    {
        NodeSplit split = c.NodeSplit ?? throw new ArgumentException("CaFo node classification needs a node split");
        using var graph = new GraphTensors(c.Data.Edges, c.Device);
        var nodes = new NodeSets(c.Data, split, augmenter: null, c.Device);
        var votes = new ClassVotes(nodes, (logits, subset) => logits.index_select(0, subset));
        var stream = new FeedStream(features, graph);
        return LayerWise.Run(c, blocks.Count, clock, l =>
        {
            Tensor h = stream.Advance(blocks[l], accumulateScore: false);
            Linear predictor = nn.Linear(c.Config.Hidden, c.Data.NumClasses, hasBias: true, device: c.Device);
            predictors.Add(predictor);
            using var optimizer = new FusedAdam(predictor.parameters(), c.Config.Lr, c.Config.WeightDecay);
            Tensor trainH = h.index_select(0, nodes.Train);
            Tensor Logits()
            {
                using var _ = no_grad();
                return predictor.call(h);
            }
            (int epochs, _) = TrainingSchedule.Train(c, l + 1, predictor,
                () => Step(optimizer, () => nn.functional.cross_entropy(predictor.call(trainH), nodes.TrainLabels)),
                () => votes.Accuracy(Logits(), nodes.Val, nodes.ValLabels, votes.Val), clock);
            Tensor logits = Logits();
            double val = votes.Accuracy(logits, nodes.Val, nodes.ValLabels, votes.Val);
            double test = votes.Accuracy(logits, nodes.Test, nodes.TestLabels, votes.Test);
            votes.Add(logits);
            return new LayerOutcome(test, val, epochs);
        });
    }

    private static RunResult RunLink(RunContext c, LocalLayers blocks, Tensor features, Stopwatch clock, List<Linear> predictors)
    {
        EdgeSplit split = c.EdgeSplit ?? throw new ArgumentException("CaFo link prediction needs an edge split");
        using var trainGraph = new GraphTensors(split.TrainGraph, c.Device);
        using var testGraph = new GraphTensors(split.TestGraph, c.Device);
        var train = LinkPairs.From(split.Train, c.Device);
        var val = new ScoredPairs(LinkPairs.From(split.Val, c.Device));
        var test = new ScoredPairs(LinkPairs.From(split.Test, c.Device));
        var trainStream = new FeedStream(features, trainGraph);   // validation shares the training graph
        var testStream = new FeedStream(features, testGraph);
        return LayerWise.Run(c, blocks.Count, clock, l =>
        {
            Tensor hTrain = trainStream.Advance(blocks[l], accumulateScore: false);
            Tensor hTest = testStream.Advance(blocks[l], accumulateScore: false);
            Linear predictor = nn.Linear(c.Config.Hidden, c.Config.Hidden, hasBias: false, device: c.Device);
            predictors.Add(predictor);
            using var optimizer = new FusedAdam(predictor.parameters(), c.Config.Lr, c.Config.WeightDecay);
            Tensor Probabilities(Tensor h, LinkPairs pairs)
            {
                using var _ = no_grad();
                return pairs.Scores(predictor.call(h)).sigmoid();
            }
            (int epochs, _) = TrainingSchedule.Train(c, l + 1, predictor,
                () => Step(optimizer, () => nn.functional.binary_cross_entropy_with_logits(train.Scores(predictor.call(hTrain)), train.Labels)),
                () => val.RocAuc(Probabilities(hTrain, val.Pairs)), clock);
            double valAuc = val.Freeze(Probabilities(hTrain, val.Pairs));
            double testAuc = test.Freeze(Probabilities(hTest, test.Pairs));
            return new LayerOutcome(testAuc, valAuc, epochs);
        });
    }

    private static float Step(FusedAdam optimizer, Func<Tensor> loss)
    {
        optimizer.ZeroGrad();
        Tensor value = loss();
        value.backward();
        optimizer.Step();
        return value.item<float>();
    }
}
