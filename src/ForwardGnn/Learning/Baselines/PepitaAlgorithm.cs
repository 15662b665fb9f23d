using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Models;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Baselines;

/// <summary>
/// PEPITA, "present the error to perturb the input to modulate activity" (Dellaferrera &amp; Kreiman 2022; spec
/// §11.4), adapted to GNNs for node classification: full-batch updates of <see cref="PepitaNetwork"/> from two
/// forward passes, the second on the input modulated by the training nodes' output error. The update is applied as
/// the original method does, by SGD with momentum 0.9 (lr and weight decay from the configuration), or, for the
/// <c>pepita-adam</c> variant, fed to the Adam every other method here uses in place of a gradient. Prediction is
/// BP's, argmax of the logits of one plain forward pass, with the forward algorithms' validation schedule and early
/// stopping on the whole network. PEPITA does not apply to link prediction (paper Sec 4.3).
/// </summary>
/// <param name="name">The <c>--algo</c> name.</param>
/// <param name="adam">Apply the update with Adam instead of the original's SGD with momentum.</param>
internal sealed class PepitaAlgorithm(string name, bool adam) : ILearningAlgorithm, IModelRestorer
{
    /// <summary>SGD momentum of the original method.</summary>
    public const double Momentum = 0.9;

    public string Name { get; } = name;

    public bool Supports(TaskKind task) => task == TaskKind.Node;

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => BackpropModel.Restore(card, weights);

    public RunResult Run(RunContext c)
    {
        NodeSplit split = c.NodeSplit ?? throw new ArgumentException("PEPITA needs a node split");
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);
        var model = new PepitaNetwork(c.Config.Gnn, c.Data.NumFeatures, c.Config.Hidden, c.Config.Layers, c.Data.NumClasses);
        model.to(c.Device);
        using FusedAdam? adamOptimizer = adam ? new FusedAdam(model.parameters(), c.Config.Lr, c.Config.WeightDecay) : null;
        using MomentumSgd? sgdOptimizer = adam ? null : new MomentumSgd(model.parameters(), c.Config.Lr, Momentum, c.Config.WeightDecay);
        Tensor x = FeatureTensor.From(c.Data.Features, c.Device);
        using var graph = new GraphTensors(c.Data.Edges, c.Device);
        var nodes = new NodeSets(c.Data, split, augmenter: null, c.Device);

        double Accuracy(Tensor subset, Tensor labels)
        {
            using var _ = no_grad();
            using var inner = NewDisposeScope();
            Tensor predicted = model.call(x, graph).index_select(0, subset).argmax(1);
            return Metrics.Accuracy(predicted.cpu().data<long>().ToArray(), labels.cpu().data<long>().ToArray());
        }
        float Step()
        {
            float loss = model.AccumulateUpdate(x, graph, nodes.Train, nodes.TrainLabels);
            if (adamOptimizer is not null) adamOptimizer.Step();
            else sgdOptimizer!.Step();
            return loss;
        }
        (int epochs, double bestVal) = TrainingSchedule.Train(c, depth: 0, model, Step, () => Accuracy(nodes.Val, nodes.ValLabels), clock);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        double val = c.Config.Patience < 0 ? Accuracy(nodes.Val, nodes.ValLabels) : bestVal;
        var result = new RunResult(c.Split, c.Seed, Accuracy(nodes.Test, nodes.TestLabels), val, epochs, trainSeconds);
        // The trained network predicts as BP's does; its feedback projection only served training.
        RunResult delivered = c.Deliver(result, new BackpropModel(c.Card(Name), model.Gnn));
        if (!c.KeepModel) model.Dispose();
        return delivered;
    }
}
