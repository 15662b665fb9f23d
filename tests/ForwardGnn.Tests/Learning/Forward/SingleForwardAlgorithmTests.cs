using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Layers;
using ForwardGnn.Learning;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using ForwardGnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

/// <remarks>Serial: the written-out and autograd runs each seed libtorch's global generator and must draw the same
/// initial weights, which a test drawing beside them would break.</remarks>
[Collection(SerialCollection.Name)]
public class SingleForwardAlgorithmTests
{
    private static (RunResult, List<ValidationRecord>, List<long>) Run(TrainConfig config)
    {
        GraphDataset data = SharedData.Load("cora_ml");
        var checks = new List<ValidationRecord>();
        var live = new List<long>();
        var experiment = new Experiment(data, SharedData.Roots, config with { Dataset = data.Name, Algo = "sf", Threads = 1 }, CPU);
        RunResult result = experiment.RunSplit(0, v => { checks.Add(v); live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount); });
        return (result, checks, live);
    }

    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void LearnsCoraMlLayerByLayerAndReportsEveryDepth(GnnKind gnn)
    {
        (RunResult result, List<ValidationRecord> checks, _) = Run(new TrainConfig { Gnn = gnn, Layers = 2, Epochs = 60, Lr = 0.01 });
        Assert.Equal(2, result.PerDepth!.Count);
        Assert.Equal([1, 2], result.PerDepth.Select(d => d.Layers));
        Assert.Equal([1, 2], checks.Select(c => c.Layer).Distinct());
        Assert.All(checks, c => Assert.Null(c.LayerLosses));   // one loss is trained at a time
        Assert.All(result.PerDepth, d => Assert.InRange(d.Test, 60, 100));
        Assert.InRange(result.Test, 70, 100);
        Assert.Equal(result.PerDepth[^1].Test, result.Test);
    }

    /// <summary>
    /// SF-GCN with its gradients written out (layer 1 on sparse features through <see cref="SingleForwardGcnStep"/>'s
    /// sparse entry point, the layers above on their cached aggregates) trains as autograd's plain path does: the same
    /// checks, early stops and accuracies, losses equal up to rounding. The two paths' sums run in other orders, so
    /// the runs agree to rounding, not bit for bit.
    /// </summary>
    [Fact]
    public void WrittenOutStepsTrainAsAutogradDoes()
    {
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Algo = "sf", Layers = 2, Epochs = 60, Patience = 5, Lr = 0.01, Threads = 1 };
        var plain = RecordedRun.OnSplitZero(new SingleForwardAlgorithm(), data, config, autogradOnly: true);
        var written = RecordedRun.OnSplitZero(new SingleForwardAlgorithm(), data, config);
        // The bound on the loss leaves room for rounding to grow over the run, not for an error: a wrong gradient
        // moves the loss by far more within a few steps.
        Assert.Equal(plain.Checks.Select(c => (c.Layer, c.Epoch)), written.Checks.Select(c => (c.Layer, c.Epoch)));
        Assert.All(written.Checks.Zip(plain.Checks), pair => Assert.True(Math.Abs(pair.First.Loss - pair.Second.Loss) <= 1e-5,
            $"layer {pair.Second.Layer}, epoch {pair.Second.Epoch}: loss {pair.First.Loss} against {pair.Second.Loss}"));
        Assert.Equal(plain.Checks.Select(c => c.Val), written.Checks.Select(c => c.Val));
        Assert.Equal(plain.Result.PerDepth!.Select(d => (d.Epochs, d.Test)), written.Result.PerDepth!.Select(d => (d.Epochs, d.Test)));
        Assert.Equal(plain.Result.Test, written.Result.Test);
        Assert.True(written.Result.PerDepth![0].Epochs < config.Epochs, "layer 1 did not stop early");
    }

    [Fact]
    public void LiveTensorCountStaysFlatAcrossEpochs()
    {
        (_, List<ValidationRecord> checks, List<long> live) = Run(new TrainConfig { Layers = 2, Epochs = 30 });
        long[] second = live.Where((_, i) => checks[i].Layer == 2).ToArray();
        long[] first = live.Where((_, i) => checks[i].Layer == 1).ToArray();
        Assert.All(first.Skip(1), n => Assert.Equal(first[1], n));
        Assert.All(second.Skip(1), n => Assert.Equal(second[1], n));
    }

    [Fact]
    public void LiveTensorCountStaysFlatAcrossLayers()
    {
        // A finished layer's input, its evaluation intermediates and the superseded votes are freed: layer 4 trains
        // with as many live tensors as layer 2 (layer 1's sparse input is held differently, so it is not compared).
        (_, List<ValidationRecord> checks, List<long> live) = Run(new TrainConfig { Layers = 4, Epochs = 8 });
        long[] atLayer = Enumerable.Range(2, 3).Select(l => live[checks.FindIndex(c => c.Layer == l)]).ToArray();
        Assert.All(atLayer, n => Assert.Equal(atLayer[0], n));
    }

    [Fact]
    public void PredictionSumsPerLayerSoftmaxOverVirtualNodes()
    {
        using var scope = NewDisposeScope();
        // Nodes 0, 1 are real; 2, 3 are the virtual nodes of classes 0 and 1.
        var nodes = new NodeSets(
            new GraphDataset("t", CsrMatrix.FromDense(2, 1, [1, 1]), [0, 1], 2, ForwardGnn.Graphs.EdgeIndex.Build(2, [], []), ""),
            new NodeSplit(0, [], [0, 1], [0, 1], "t"),
            new VirtualNodeAugmenter(
                new GraphDataset("t", CsrMatrix.FromDense(2, 1, [1, 1]), [0, 1], 2, ForwardGnn.Graphs.EdgeIndex.Build(2, [], []), ""), [0, 0]),
            CPU);
        var votes = new ClassVotes(nodes, (z, subset) => SingleForwardAlgorithm.Scores(z, subset, nodes.Virtual));
        // Layer 1: node 0 leans strongly to class 1, node 1 weakly to class 0.
        votes.Add(tensor(new float[] { 0, 4, 0.2f, 0, 1, 0, 0, 1 }, [4, 2]));
        // Layer 2 alone would say class 0 for node 0 (weakly) and class 1 for node 1 (strongly).
        Tensor layer2 = tensor(new float[] { 1, 0, 0, 5, 1, 0, 0, 1 }, [4, 2]);
        // Sum of softmaxes: node 0 → class 1 (0.98 + 0.27 vs 0.02 + 0.73); node 1 → class 1.
        Assert.Equal(100.0, votes.Accuracy(layer2, nodes.Val, tensor(new long[] { 1, 1 }), votes.Val));
        Assert.Equal(50.0, votes.Accuracy(layer2, nodes.Val, tensor(new long[] { 0, 1 }), votes.Val));
    }
}
