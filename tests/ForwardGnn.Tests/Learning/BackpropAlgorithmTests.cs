using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning;
using ForwardGnn.Learning.Backprop;
using ForwardGnn.Training;
using ForwardGnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning;

[Collection(SerialCollection.Name)]
public class BackpropAlgorithmTests
{
    /// <param name="autogradOnly">Train through autograd even where the written-out GCN step applies.</param>
    private static (RunResult Result, List<ValidationRecord> Checks, List<long> LiveTensors) Run(string dataset, TrainConfig config, bool autogradOnly = false)
    {
        GraphDataset data = SharedData.Load(dataset);
        var checks = new List<ValidationRecord>();
        var live = new List<long>();
        void OnValidation(ValidationRecord v)
        {
            checks.Add(v);
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
        config = config with { Dataset = data.Name, Threads = 1 };
        if (!autogradOnly) return (new Experiment(data, SharedData.Roots, config, CPU).RunSplit(0, OnValidation), checks, live);
        var context = new RunContext(data, config, 0, PaperProtocol.RunSeed(config.Seed, 0), CPU)   // as Experiment makes it
        {
            NodeSplit = OfficialSplits.Load(SharedData.Roots, data, 0),
            OnValidation = OnValidation,
            AutogradOnly = true,
        };
        return (new BackpropAlgorithm().Run(context), checks, live);
    }

    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void NodeClassificationLearnsCoraMl(GnnKind gnn)
    {
        (RunResult result, List<ValidationRecord> checks, _) = Run("cora_ml", new TrainConfig { Gnn = gnn, Epochs = 100, Layers = 2, Lr = 0.01 });
        Assert.Equal(50, checks.Count);
        Assert.Equal(100, result.Epochs);
        Assert.True(checks[^1].Loss < checks[0].Loss);
        Assert.InRange(result.Test, 70, 100);
        Assert.Equal(checks.Max(c => c.Val), result.Val);
    }

    [Fact]
    public void LinkPredictionLearnsCiteSeer()
    {
        (RunResult result, _, _) = Run("citeseer", new TrainConfig { Task = TaskKind.Link, Epochs = 40, Layers = 1 });
        Assert.InRange(result.Test, 80, 100);
    }

    [Fact]
    public void LiveTensorCountStaysFlatAcrossEpochs()
    {
        (_, _, List<long> live) = Run("citeseer", new TrainConfig { Gnn = GnnKind.Gat, Epochs = 40, Layers = 3 });
        Assert.Equal(20, live.Count);
        // Checks are made inside the next epoch's step, with its forward alive; the last one after the loop, without.
        Assert.All(live.Skip(2).SkipLast(1), count => Assert.Equal(live[1], count));
        Assert.True(live[^1] <= live[1]);
    }

    [Fact]
    public void EarlyStoppingEndsTrainingAndRestoresTheBestCheckpoint()
    {
        (RunResult result, List<ValidationRecord> checks, _) = Run("citeseer", new TrainConfig { Epochs = 1000, Patience = 3, Lr = 0.05 });
        Assert.True(result.Epochs < 1000);
        int best = checks.FindIndex(c => c.Val == checks.Max(x => x.Val));
        Assert.Equal(checks.Count - 1 - 3, best);
        Assert.Equal(checks[best].Val, result.Val);
    }

    /// <summary>
    /// The training loop reuses each epoch's forward for the validation check due after the epoch before. Oracle: the
    /// plain loop, with a separate no-grad forward for every check, must give the same checks and result.
    /// </summary>
    [Theory]
    [InlineData(GnnKind.Gcn, 3)]
    [InlineData(GnnKind.Gat, 1000)]
    public void ValidationFromTheNextEpochsForwardEqualsASeparatePass(GnnKind gnn, int patience)
    {
        var config = new TrainConfig { Gnn = gnn, Epochs = 60, Layers = 2, Lr = 0.05, Patience = patience };
        (RunResult result, List<ValidationRecord> checks, _) = Run("citeseer", config, autogradOnly: true);   // the oracle is autograd's

        GraphDataset data = SharedData.Load("citeseer");
        NodeSplit split = OfficialSplits.Load(SharedData.Roots, data, 0);
        using var scope = NewDisposeScope();
        torch.manual_seed(PaperProtocol.RunSeed(config.Seed, 0));
        Tensor x = FeatureTensor.From(data.Features, CPU);
        using var graph = new GraphTensors(data.Edges, CPU);
        Tensor labels = tensor(data.Labels.Select(l => (long)l).ToArray());
        Tensor Nodes(int[] ids) => tensor(ids.Select(i => (long)i).ToArray());
        Tensor train = Nodes(split.Train), val = Nodes(split.Val), test = Nodes(split.Test);
        using var model = new BasicGnn(gnn, data.NumFeatures, config.Hidden, config.Layers, data.NumClasses);
        double Accuracy(Tensor nodes)
        {
            using var _ = no_grad();
            return Metrics.Accuracy(model.call(x, graph).index_select(0, nodes).argmax(1).data<long>().ToArray(),
                labels.index_select(0, nodes).data<long>().ToArray());
        }
        (List<(int, double, double)> expected, int epochs) = PlainLoop(model, config,
            () => nn.functional.cross_entropy(model.call(x, graph).index_select(0, train), labels.index_select(0, train)), () => Accuracy(val));

        Assert.Equal(expected, checks.Select(c => (c.Epoch, c.Loss, c.Val)).ToList());
        Assert.Equal(epochs, result.Epochs);
        Assert.Equal(Accuracy(test), result.Test, 9);
        if (patience == 3) Assert.True(result.Epochs < config.Epochs);   // the early stop is exercised
    }

    /// <summary>
    /// The GCN node step with its gradients written out (<see cref="BackpropGcnStep"/>) against the autograd path over
    /// a whole run with an early stop: its loss and gradients differ from autograd's in float rounding only (the
    /// softmax cross-entropy and the bias sums add in another order), so the runs agree to rounding, not bit for bit.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void WrittenOutGcnStepTrainsAsAutogradDoes(int layers)
    {
        var config = new TrainConfig { Epochs = 80, Layers = layers, Lr = 0.02, Patience = 5 };
        (RunResult fused, List<ValidationRecord> fusedChecks, _) = Run("citeseer", config);
        (RunResult plain, List<ValidationRecord> plainChecks, _) = Run("citeseer", config, autogradOnly: true);
        // Measured when written: the losses of the two paths differ by at most 2·10⁻⁷ over the run, and no
        // validation or test prediction changes. The bound on the loss leaves room for rounding to grow, not for an
        // error: a wrong gradient moves the loss by far more within a few epochs.
        Assert.Equal(plainChecks.Select(c => c.Epoch), fusedChecks.Select(c => c.Epoch));
        Assert.All(fusedChecks.Zip(plainChecks), pair => Assert.Equal(pair.Second.Loss, pair.First.Loss, 1e-5));
        Assert.Equal(plainChecks.Select(c => c.Val), fusedChecks.Select(c => c.Val));
        Assert.Equal(plain.Epochs, fused.Epochs);
        Assert.Equal(plain.Test, fused.Test);
        Assert.True(fused.Epochs < config.Epochs);   // the early stop is exercised
    }

    /// <summary>The same for link prediction, whose validation also passes messages over the training graph.</summary>
    [Fact]
    public void LinkValidationFromTheNextEpochsForwardEqualsASeparatePass()
    {
        var config = new TrainConfig { Task = TaskKind.Link, Epochs = 30, Layers = 1, Lr = 0.01 };
        (RunResult result, List<ValidationRecord> checks, _) = Run("citeseer", config);

        GraphDataset data = SharedData.Load("citeseer");
        EdgeSplit split = RandomLinkSplit.Generate(data.Edges, 0);
        using var scope = NewDisposeScope();
        torch.manual_seed(PaperProtocol.RunSeed(config.Seed, 0));
        Tensor x = FeatureTensor.From(data.Features, CPU);
        using var trainGraph = new GraphTensors(split.TrainGraph, CPU);
        using var testGraph = new GraphTensors(split.TestGraph, CPU);
        LinkPairs trainPairs = LinkPairs.From(split.Train, CPU), valPairs = LinkPairs.From(split.Val, CPU), testPairs = LinkPairs.From(split.Test, CPU);
        using var model = new BasicGnn(GnnKind.Gcn, data.NumFeatures, config.Hidden, config.Layers, outChannels: null);
        double Auc(GraphTensors graph, LinkPairs pairs)
        {
            using var _ = no_grad();
            return pairs.RocAuc(pairs.Scores(model.call(x, graph)).sigmoid());
        }
        (List<(int, double, double)> expected, _) = PlainLoop(model, config,
            () => nn.functional.binary_cross_entropy_with_logits(trainPairs.Scores(model.call(x, trainGraph)), trainPairs.Labels),
            () => Auc(trainGraph, valPairs));

        Assert.Equal(expected, checks.Select(c => (c.Epoch, c.Loss, c.Val)).ToList());
        Assert.Equal(expected.Max(e => e.Item3), result.Val);
        Assert.Equal(Auc(testGraph, testPairs), result.Test, 9);
    }

    /// <summary>
    /// The oracle loop: Adam on <paramref name="loss"/>, a separate no-grad <paramref name="validate"/> after every
    /// ValEvery-th epoch, early stopping, the best checkpoint restored. Returns (epoch, loss, val) per check and the
    /// epochs run.
    /// </summary>
    private static (List<(int, double, double)> Checks, int Epochs) PlainLoop(nn.Module model, TrainConfig config, Func<Tensor> loss, Func<double> validate)
    {
        using var optimizer = new FusedAdam(model.parameters(), config.Lr, config.WeightDecay);   // the algorithm's Adam (FusedAdamTests compares it with libtorch's)
        using var stopper = new EarlyStopping(config.Patience);
        var checks = new List<(int, double, double)>();
        int epochs = 0;
        for (int epoch = 0; epoch < config.Epochs; epoch++)
        {
            optimizer.ZeroGrad();
            Tensor value = loss();
            value.backward();
            optimizer.Step();
            epochs = epoch + 1;
            if ((epoch + 1) % config.ValEvery != 0) continue;
            double score = validate();
            checks.Add((epoch, value.item<float>(), score));
            if (stopper.Check(score, epoch, model)) break;
        }
        stopper.RestoreBest(model);
        return (checks, epochs);
    }
}
