using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Models;
using ForwardGnn.Training;
using ForwardGnn.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Backprop;

/// <summary>
/// End-to-end backpropagation baseline (spec §4.1, §5.1): one Adam over all parameters, full-batch. Node
/// classification minimises cross-entropy on the training nodes; link prediction minimises BCE on dot-product scores
/// of the fixed training positives and negatives. Validation every <c>ValEvery</c> epochs, early stopping on the
/// whole model, best checkpoint restored before testing.
/// </summary>
internal sealed class BackpropAlgorithm : ILearningAlgorithm, IModelRestorer
{
    public string Name => "bp";

    public bool Supports(TaskKind task) => true;

    /// <inheritdoc/>
    public bool AppliesDropout(TaskKind task) => task == TaskKind.Node;

    /// <inheritdoc/>
    public bool TracesTest(TaskKind task) => true;

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => BackpropModel.Restore(card, weights);

    public RunResult Run(RunContext context) =>
        context.Ranks is { Size: > 1 } ? DistributedBackprop.Run(context, context.Ranks)
        : context.Config.Task == TaskKind.Node ? RunNode(context) : RunLink(context);

    private static RunResult RunNode(RunContext c)
    {
        NodeSplit split = c.NodeSplit ?? throw new ArgumentException("node classification needs a node split");
        using var scope = NewDisposeScope();
        torch.manual_seed(c.Seed);
        Tensor x = FeatureTensor.From(c.Data.Features, c.Device);
        using var graph = new GraphTensors(c.Data.Edges, c.Device);
        Tensor labels = tensor(c.Data.Labels.Select(l => (long)l).ToArray(), device: c.Device);
        Tensor train = tensor(split.Train.Select(i => (long)i).ToArray(), device: c.Device);
        Tensor val = tensor(split.Val.Select(i => (long)i).ToArray(), device: c.Device);
        Tensor test = tensor(split.Test.Select(i => (long)i).ToArray(), device: c.Device);
        Tensor trainLabels = labels.index_select(0, train);

        var model = new BasicGnn(c.Config.Gnn, c.Data.NumFeatures, c.Config.Hidden, c.Config.Layers, c.Data.NumClasses, c.Config.Dropout);
        model.to(c.Device);
        double Accuracy(Tensor logits, Tensor nodes)
        {
            using var _ = no_grad();
            using var inner = NewDisposeScope();
            Tensor predicted = logits.index_select(0, nodes).argmax(1).cpu();
            return Metrics.Accuracy(predicted.data<long>().ToArray(), labels.index_select(0, nodes).cpu().data<long>().ToArray());
        }
        double Test() => Accuracy(model.call(x, graph), test);
        using BackpropGcnStep? fused = c.AutogradOnly || model.Dropout > 0 ? null
            : BackpropGcnStep.For(model, x, graph, split.Train, split.Val, c.Data.Labels.Select(l => (long)l).ToArray());
        Objective objective = fused is not null
            ? new Objective(fused.Forward, fused.SetGradients, fused.ValidationAccuracy, Test)
            : new Objective(
                Forward: () => model.TrainingForward(x, graph),   // with dropout, validation takes its own forward without it
                SetGradients: logits => Backward(nn.functional.cross_entropy(logits.index_select(0, train), trainLabels)),
                Validate: logits => Accuracy(model.Dropout > 0 ? model.call(x, graph) : logits, val),
                Test: Test);
        RunResult result = Train(c, model, objective);
        fused?.RestoreLayout();   // before the model leaves
        return c.Deliver(result, new BackpropModel(c.Card("bp"), model));
    }

    private static RunResult RunLink(RunContext c)
    {
        EdgeSplit split = c.EdgeSplit ?? throw new ArgumentException("link prediction needs an edge split");
        using var scope = NewDisposeScope();
        torch.manual_seed(c.Seed);
        Tensor x = FeatureTensor.From(c.Data.Features, c.Device);
        using var trainGraph = new GraphTensors(split.TrainGraph, c.Device);
        using var testGraph = new GraphTensors(split.TestGraph, c.Device);
        var trainPairs = LinkPairs.From(split.Train, c.Device);
        var valPairs = LinkPairs.From(split.Val, c.Device);
        var testPairs = LinkPairs.From(split.Test, c.Device);

        var model = new BasicGnn(c.Config.Gnn, c.Data.NumFeatures, c.Config.Hidden, c.Config.Layers, outChannels: null);
        model.to(c.Device);
        double Auc(Tensor z, LinkPairs pairs)
        {
            using var _ = no_grad();
            using var inner = NewDisposeScope();
            return pairs.RocAuc(pairs.Scores(z).sigmoid());
        }
        return c.Deliver(Train(c, model, new Objective(   // validation's message passing uses the training graph (spec §5.1)
            Forward: () => model.call(x, trainGraph),
            SetGradients: z => Backward(nn.functional.binary_cross_entropy_with_logits(trainPairs.Scores(z), trainPairs.Labels)),
            Validate: z => Auc(z, valPairs),
            Test: () => Auc(model.call(x, testGraph), testPairs))), new BackpropModel(c.Card("bp"), model));
    }

    /// <param name="Forward">The model's output on the training graph, [N, out] (the fused step's: only the rows it reads).</param>
    /// <param name="SetGradients">Sets every parameter's gradient of the training loss of that output; returns the loss.</param>
    /// <param name="Validate">The validation metric of that output (validation runs on the training graph).</param>
    /// <param name="Test">The test metric of the current parameters.</param>
    private sealed record Objective(Func<Tensor> Forward, Func<Tensor, float> SetGradients, Func<Tensor, double> Validate, Func<double> Test);

    /// <summary>Backpropagates <paramref name="loss"/> (a scalar) through autograd and returns its value.</summary>
    private static float Backward(Tensor loss)
    {
        loss.backward();
        return loss.item<float>();
    }

    /// <summary>
    /// Validation after epoch e scores the parameters that epoch e + 1's forward starts from, on the same graph, so
    /// that forward's output serves both: one forward per epoch instead of one and a half (the same numbers as a
    /// separate pass; a test holds the two equal). The loop makes the check during epoch e + 1's step, before its
    /// update, and an early stop discards that update; after the last epoch a separate forward serves the pending check.
    /// </summary>
    private static RunResult Train(RunContext c, nn.Module model, Objective objective)
    {
        TrainConfig config = c.Config;
        var clock = Stopwatch.StartNew();
        using var optimizer = new FusedAdam(model.parameters(), config.Lr, config.WeightDecay);
        EpochOutcome Step(Func<double, bool>? checkBefore)
        {
            long start = Stopwatch.GetTimestamp();
            optimizer.ZeroGrad();
            Tensor output = objective.Forward();
            TimeSpan forward = Stopwatch.GetElapsedTime(start);
            if (checkBefore is not null && checkBefore(StepTimings.Validation(c.Timings, () => objective.Validate(output.detach()))))
                return default;   // stopped: this epoch's update is not made
            float loss = StepTimings.Step(c.Timings, () =>
            {
                float value = objective.SetGradients(output);
                optimizer.Step();
                return value;
            }, forward);
            return new EpochOutcome(loss);
        }
        (int epochs, double best) = TrainingLoop.Run(c, new TrainingTarget(0, model)
        {
            Step = Step,
            Validate = () => WithoutGrad(() => objective.Validate(objective.Forward())),
            Test = () => WithoutGrad(objective.Test),   // a check made during a step reads the parameters before its update
            ChecksDuringNextStep = true,
            ChecksFirstEpoch = true,
            TimesOwnSteps = true,
        }, clock);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        if (config.Patience < 0) best = WithoutGrad(() => objective.Validate(objective.Forward()));
        return new RunResult(c.Split, c.Seed, WithoutGrad(objective.Test), best, epochs, trainSeconds);
    }

    private static T WithoutGrad<T>(Func<T> evaluate)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return evaluate();
    }
}
