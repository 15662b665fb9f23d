using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Learning;
using ForwardGnn.Learning.Baselines;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Baselines;

public class CascadedForwardAlgorithmTests
{
    [Theory]
    [InlineData(TaskKind.Node, 55)]
    [InlineData(TaskKind.Link, 70)]
    public void TrainsOnlyThePerBlockPredictors(TaskKind task, double atLeast)
    {
        using var scope = NewDisposeScope();
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Task = task, Algo = "cafo", Layers = 2, Epochs = 60, Lr = 0.01, Threads = 1 };
        var context = new RunContext(data, config, 0, PaperProtocol.RunSeed(config.Seed, 0), CPU);
        context = task == TaskKind.Node
            ? context with { NodeSplit = OfficialSplits.Load(SharedData.Roots, data, 0) }
            : context with { EdgeSplit = RandomLinkSplit.Generate(data.Edges, 0) };
        manual_seed(5);
        using var blocks = new LocalLayers(config, data.NumFeatures);
        Tensor[] before = blocks.SelectMany(b => b.Conv.parameters()).Select(p => p.detach().clone()).ToArray();

        RunResult result = CascadedForwardAlgorithm.Run(context, blocks);

        Tensor[] after = blocks.SelectMany(b => b.Conv.parameters()).ToArray();
        Assert.All(after, p => Assert.False(p.requires_grad, "a block parameter is trainable"));
        Assert.All(before.Zip(after), p => Assert.True(p.First.allclose(p.Second, 0, 0), "a frozen block changed"));
        Assert.Equal([1, 2], result.PerDepth!.Select(d => d.Layers));
        Assert.All(result.PerDepth!, d => Assert.InRange(d.Test, atLeast, 100));
    }

    [Fact]
    public void SupportsBothTasks()
    {
        ILearningAlgorithm cafo = LearningAlgorithms.Find("cafo");
        Assert.True(cafo.Supports(TaskKind.Node) && cafo.Supports(TaskKind.Link));
        Assert.True(cafo.ReportsEveryDepth);
    }
}
