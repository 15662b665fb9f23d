using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Learning;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using ForwardGnn.Tests.Support;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

[Collection(SerialCollection.Name)]   // an early stop that passes the best check depends on the exact draws of the seeded generator
public class TopDownAlgorithmsTests
{
    [Theory]
    [InlineData("sf-t2l")]
    [InlineData("sf-t2i")]
    public void LearnsCoraMlAndStopsOnTheWholeModel(string algo)
    {
        (RunResult result, List<ValidationRecord> checks) = RunSplit0("cora_ml",
            name => new TrainConfig { Dataset = name, Algo = algo, Layers = 2, Epochs = 40, Lr = 0.01, Threads = 1 });

        Assert.Null(result.PerDepth);
        Assert.All(checks, c => Assert.Equal(0, c.Layer));
        Assert.Equal(20, checks.Count);                // validation after steps 1, 3, ..., 39 (0-based)
        Assert.InRange(result.Test, 70, 100);
    }

    [Theory]
    [InlineData("sf-t2l", TaskKind.Node)]
    [InlineData("sf-t2i", TaskKind.Node)]
    [InlineData("fl-ce-t2i", TaskKind.Link)]
    public void AfterAnEarlyStopTheBestCheckIsWhatIsReported(string algo, TaskKind task)
    {
        (RunResult result, List<ValidationRecord> checks) = RunSplit0("citeseer",
            name => new TrainConfig { Dataset = name, Task = task, Algo = algo, Layers = 2, Epochs = 300, Patience = 3, Lr = 0.01, Threads = 1 });

        Assert.True(checks.Count < 150, "no early stop happened");
        Assert.True(checks[^1].Val < checks.Max(c => c.Val));       // the model at the stop is not the best one
        Assert.Equal(checks.Max(c => c.Val), result.Val, 9);         // the whole model was restored to the best check
    }

    [Theory]
    [InlineData("sf-t2l", TaskKind.Node)]
    [InlineData("sf-t2i", TaskKind.Node)]
    [InlineData("fl-ce-t2i", TaskKind.Link)]
    public void EveryCheckRecordsEachLayersLossAndTheirMean(string algo, TaskKind task)
    {
        (_, List<ValidationRecord> checks) = RunSplit0("citeseer",
            name => new TrainConfig { Dataset = name, Task = task, Algo = algo, Layers = 3, Epochs = 6, Threads = 1 });

        Assert.Equal(3, checks.Count);
        foreach (ValidationRecord check in checks)
        {
            Assert.Equal(3, check.LayerLosses!.Count);
            Assert.All(check.LayerLosses, loss => Assert.True(float.IsFinite(loss) && loss > 0));
            Assert.Equal(check.LayerLosses.Average(), check.Loss, 1e-5);
        }
        Assert.NotEqual(checks[0].LayerLosses, checks[^1].LayerLosses);   // each check has its own step's losses
    }

    private static (RunResult Result, List<ValidationRecord> Checks) RunSplit0(string dataset, Func<string, TrainConfig> config)
    {
        GraphDataset data = SharedData.Load(dataset);
        var checks = new List<ValidationRecord>();
        RunResult result = new Experiment(data, SharedData.Roots, config(data.Name), CPU).RunSplit(0, checks.Add);
        return (result, checks);
    }

    [Fact]
    public void AlternatingUpdateRunsOddLayersThenEvenLayers()
    {
        Assert.Equal([[1, 3], [2, 4]], SfTopToInputAlgorithm.Groups(4, alternating: true));
        Assert.Equal([[1], []], SfTopToInputAlgorithm.Groups(1, alternating: true));
        Assert.Equal([[1, 2, 3]], SfTopToInputAlgorithm.Groups(3, alternating: false));
    }
}
