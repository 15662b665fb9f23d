using ForwardGnn.Data;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Backprop;
using ForwardGnn.Training;
using ForwardGnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning;

public class BackpropAlgorithmTests
{
    private static (RunResult Result, List<ValidationRecord> Checks, List<long> LiveTensors) Run(string dataset, TrainConfig config)
    {
        GraphDataset data = SharedData.Load(dataset);
        var checks = new List<ValidationRecord>();
        var live = new List<long>();
        var experiment = new Experiment(data, SharedData.Roots, config with { Dataset = data.Name, Threads = 1 }, CPU);
        RunResult result = experiment.RunSplit(0, v =>
        {
            checks.Add(v);
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        });
        return (result, checks, live);
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
        Assert.All(live.Skip(2), count => Assert.Equal(live[1], count));
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
}
