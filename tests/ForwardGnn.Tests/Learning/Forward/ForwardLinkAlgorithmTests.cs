using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Training;
using ForwardGnn.Tests.Support;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class ForwardLinkAlgorithmTests
{
    [Theory]
    [InlineData("fl-ce")]
    [InlineData("fl-ff")]
    [InlineData("fl-symba")]
    public void LearnsCiteSeerLinksLayerByLayer(string algo)
    {
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Task = TaskKind.Link, Algo = algo, Layers = 2, Epochs = 40, Lr = 0.01, Threads = 1 };
        var checks = new List<ValidationRecord>();
        RunResult result = new Experiment(data, SharedData.Roots, config, CPU).RunSplit(0, checks.Add);

        Assert.Equal([1, 2], result.PerDepth!.Select(d => d.Layers));
        Assert.Equal([1, 2], checks.Select(c => c.Layer).Distinct());
        Assert.All(result.PerDepth!, d => Assert.InRange(d.Test, 75, 100));
    }

    [Fact]
    public void TopDownVariantLearnsCiteSeerLinks()
    {
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Task = TaskKind.Link, Algo = "fl-ce-t2i", Layers = 2, Epochs = 30, Lr = 0.01, Threads = 1 };
        var checks = new List<ValidationRecord>();
        RunResult result = new Experiment(data, SharedData.Roots, config, CPU).RunSplit(0, checks.Add);

        Assert.Null(result.PerDepth);
        Assert.Equal(15, checks.Count);
        Assert.All(checks, c => Assert.Equal(0, c.Layer));
        Assert.InRange(result.Test, 75, 100);
    }

    [Fact]
    public void NodeTasksAreRefused()
    {
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Task = TaskKind.Node, Algo = "fl-ce" };
        Assert.Contains("does not support the node task", Assert.Throws<ArgumentException>(() => new Experiment(data, SharedData.Roots, config, CPU)).Message);
    }
}
