using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Backprop;

/// <summary>
/// End-to-end backpropagation baseline (spec §4.1, §5.1): one Adam over all parameters, full-batch. Node
/// classification minimises cross-entropy on the training nodes; link prediction minimises BCE on dot-product scores
/// of the fixed training positives and negatives. Validation every <c>ValEvery</c> epochs, early stopping on the
/// whole model, best checkpoint restored before testing.
/// </summary>
public sealed class BackpropAlgorithm : ILearningAlgorithm
{
    public string Name => "bp";

    public bool Supports(TaskKind task) => true;

    public RunResult Run(RunContext context) => context.Config.Task == TaskKind.Node ? RunNode(context) : RunLink(context);

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

        using var model = new BasicGnn(c.Config.Gnn, c.Data.NumFeatures, c.Config.Hidden, c.Config.Layers, c.Data.NumClasses);
        model.to(c.Device);
        double Accuracy(Tensor nodes)
        {
            using var _ = no_grad();
            using var inner = NewDisposeScope();
            Tensor predicted = model.call(x, graph).index_select(0, nodes).argmax(1).cpu();
            return Metrics.Accuracy(predicted.data<long>().ToArray(), labels.index_select(0, nodes).cpu().data<long>().ToArray());
        }
        Tensor Loss() => nn.functional.cross_entropy(model.call(x, graph).index_select(0, train), trainLabels);
        return Train(c, model, Loss, () => Accuracy(val), () => Accuracy(test));
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

        using var model = new BasicGnn(c.Config.Gnn, c.Data.NumFeatures, c.Config.Hidden, c.Config.Layers, outChannels: null);
        model.to(c.Device);
        double Auc(GraphTensors graph, LinkPairs pairs)
        {
            using var _ = no_grad();
            using var inner = NewDisposeScope();
            return pairs.RocAuc(pairs.Scores(model.call(x, graph)).sigmoid());
        }
        Tensor Loss() => nn.functional.binary_cross_entropy_with_logits(trainPairs.Scores(model.call(x, trainGraph)), trainPairs.Labels);
        return Train(c, model, Loss, () => Auc(trainGraph, valPairs), () => Auc(testGraph, testPairs));
    }

    private static RunResult Train(RunContext c, nn.Module model, Func<Tensor> loss, Func<double> validate, Func<double> evaluateTest)
    {
        TrainConfig config = c.Config;
        var clock = Stopwatch.StartNew();
        using var optimizer = optim.Adam(model.parameters(), config.Lr, weight_decay: config.WeightDecay);
        using var stopper = new EarlyStopping(config.Patience);
        int epochs = 0;
        for (int epoch = 0; epoch < config.Epochs && !c.Cancel.IsCancellationRequested; epoch++)
        {
            using var step = NewDisposeScope();
            float lossValue = StepTimings.Step(c.Timings, () =>
            {
                optimizer.zero_grad();
                Tensor value = loss();
                value.backward();
                optimizer.step();
                return value.item<float>();
            });
            epochs = epoch + 1;
            if (!float.IsFinite(lossValue) && NumericalGuard.Fault(config.OnNan, "loss", 0, epoch, stopper, model)) break;
            if (config.Patience < 0 || (epoch + 1) % config.ValEvery != 0) continue;
            if (!NumericalGuard.AllFinite(model) && NumericalGuard.Fault(config.OnNan, "parameter", 0, epoch, stopper, model)) break;

            double score = StepTimings.Validation(c.Timings, validate);
            c.OnValidation?.Invoke(new ValidationRecord(c.Split, epoch, 0, lossValue, score, clock.Elapsed.TotalSeconds));
            if (stopper.Check(score, epoch, model)) break;
        }
        stopper.RestoreBest(model);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        double best = config.Patience < 0 ? validate() : stopper.BestScore;
        return new RunResult(c.Split, c.Seed, evaluateTest(), best, epochs, trainSeconds);
    }
}
