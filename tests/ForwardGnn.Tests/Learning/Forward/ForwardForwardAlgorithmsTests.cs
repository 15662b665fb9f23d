using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Training;
using ForwardGnn.Tests.Support;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class ForwardForwardAlgorithmsTests
{
    [Theory]
    [InlineData("ff-vn", 60)]
    [InlineData("ff-la", 50)]
    [InlineData("symba", 60)]
    public void LearnsCiteSeerAndReportsEveryDepth(string algo, double atLeast)
    {
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Algo = algo, Gnn = ForwardGnn.Layers.GnnKind.Sage, Layers = 2, Epochs = 30, Lr = 0.01, Threads = 1 };
        var checks = new List<ValidationRecord>();
        RunResult result = new Experiment(data, SharedData.Roots, config, CPU).RunSplit(0, checks.Add);

        Assert.Equal([1, 2], result.PerDepth!.Select(d => d.Layers));
        Assert.Equal([1, 2], checks.Select(c => c.Layer).Distinct());
        Assert.All(result.PerDepth!, d => Assert.InRange(d.Test, atLeast, 100));
    }

    [Theory]
    [InlineData("ff-la")]
    [InlineData("ff-vn")]
    public void LiveTensorCountStaysFlatAcrossEpochs(string algo)
    {
        // Shared projections are held outside the dispose scopes and disposed by hand: none may survive its pass.
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Algo = algo, Gnn = ForwardGnn.Layers.GnnKind.Gcn, Layers = 2, Epochs = 12, Threads = 1 };
        var checks = new List<ValidationRecord>();
        var live = new List<long>();
        new Experiment(data, SharedData.Roots, config, CPU).RunSplit(0, v => { checks.Add(v); live.Add(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount); });

        foreach (int layer in new[] { 1, 2 })
        {
            long[] atLayer = live.Where((_, i) => checks[i].Layer == layer).ToArray();
            Assert.True(atLayer.Length >= 4);
            Assert.All(atLayer.Skip(1), n => Assert.Equal(atLayer[1], n));
        }
    }
}
