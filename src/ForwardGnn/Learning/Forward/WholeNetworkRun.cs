using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Learning.Backprop;
using ForwardGnn.Models;
using ForwardGnn.Training;
using ForwardGnn.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// The run of a node-classification rule that trains BP's network (<see cref="BasicGnn"/>: in → H → … → H → C) as a
/// whole, every conv in every step (drtp, dfa): the network built on the run's seed, the node sets, the features
/// x [N, F] and the graph; one step of the rule per epoch on the whole-model schedule (early stopping watches the whole
/// network); validation and test accuracy of argmax over one forward pass's logits [N, C]; a <see cref="BackpropModel"/>
/// delivered. Only the rule differs between those algorithms.
/// </summary>
internal static class WholeNetworkRun
{
    /// <summary>Runs <paramref name="rule"/> on BP's network for the split of <paramref name="c"/>.</summary>
    /// <param name="c">The run (its config gives the network's shape, its seed the initial weights).</param>
    /// <param name="name">The algorithm's name (model card, error messages).</param>
    /// <param name="rule">
    /// Builds the rule on the network and the node sets: the optimiser it steps (disposed after the run) and one training
    /// step on the features [N, F] and the graph, returning the epoch's loss(es).
    /// </param>
    /// <param name="options">The rule's settings, kept on the model card (null: none).</param>
    /// <param name="dropout">The network's dropout rate (<see cref="BasicGnn.Dropout"/>; 0: none), for a rule that trains through <see cref="BasicGnn.TrainingForward"/>.</param>
    public static RunResult Run(RunContext c, string name,
        Func<BasicGnn, NodeSets, (IDisposable Optimizer, Func<Tensor, GraphTensors, EpochOutcome> Step)> rule,
        IReadOnlyDictionary<string, double>? options = null, double dropout = 0)
    {
        NodeSplit split = c.NodeSplit ?? throw new ArgumentException($"{name} needs a node split");
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);
        var gnn = new BasicGnn(c.Config.Gnn, c.Data.NumFeatures, c.Config.Hidden, c.Config.Layers, c.Data.NumClasses, dropout);
        gnn.to(c.Device);
        var nodes = new NodeSets(c.Data, split, augmenter: null, c.Device);
        (IDisposable optimizer, Func<Tensor, GraphTensors, EpochOutcome> step) = rule(gnn, nodes);
        using IDisposable ownedOptimizer = optimizer;
        Tensor x = FeatureTensor.From(c.Data.Features, c.Device);
        using var graph = new GraphTensors(c.Data.Edges, c.Device);

        double Accuracy(Tensor subset, Tensor labels)
        {
            using var _ = no_grad();
            using var inner = NewDisposeScope();
            Tensor predicted = gnn.call(x, graph).index_select(0, subset).argmax(1);
            return Metrics.Accuracy(predicted.cpu().data<long>().ToArray(), labels.cpu().data<long>().ToArray());
        }
        (int epochs, _) = TrainingLoop.Run(c, new TrainingTarget(0, gnn)
        {
            Step = _ => step(x, graph),
            Validate = () => Accuracy(nodes.Val, nodes.ValLabels),
            Test = () => Accuracy(nodes.Test, nodes.TestLabels),
        }, clock);
        var result = new RunResult(c.Split, c.Seed, Accuracy(nodes.Test, nodes.TestLabels), Accuracy(nodes.Val, nodes.ValLabels), epochs,
            clock.Elapsed.TotalSeconds);
        ModelCard card = c.Card(name);
        RunResult delivered = c.Deliver(result, new BackpropModel(options is null ? card : card with { Options = options }, gnn));
        if (!c.KeepModel) gnn.Dispose();
        return delivered;
    }
}
