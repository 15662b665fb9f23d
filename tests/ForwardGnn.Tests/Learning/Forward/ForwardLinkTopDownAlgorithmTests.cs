using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Learning;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

[Collection(SerialCollection.Name)]
public class ForwardLinkTopDownAlgorithmTests
{
    [Theory]
    [InlineData(1)]   // the only layer sees LN(X) alone: every forward of a prediction shares its projection
    [InlineData(3)]
    public void ProjectingTheInputOnceEqualsTheLiteralPrediction(int layers)
    {
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Task = TaskKind.Link, Algo = "fl-ce-t2i", Layers = layers, Epochs = 8, Lr = 0.01, Threads = 1 };
        EdgeSplit split = RandomLinkSplit.Generate(data.Edges, 0);
        (RunResult Result, List<ValidationRecord> Checks) Run(bool once)
        {
            var checks = new List<ValidationRecord>();
            var context = new RunContext(data, config, 0, PaperProtocol.RunSeed(config.Seed, 0), CPU) { EdgeSplit = split, OnValidation = checks.Add };
            return (new ForwardLinkTopDownAlgorithm { ProjectInputOnce = once }.Run(context), checks);
        }

        var literal = Run(once: false);
        var once = Run(once: true);

        Assert.Equal(4, once.Checks.Count);
        Assert.Equal(literal.Checks.Select(c => (c.Epoch, c.Loss, c.Val)), once.Checks.Select(c => (c.Epoch, c.Loss, c.Val)));
        Assert.Equal(literal.Result.Val, once.Result.Val);
        Assert.Equal(literal.Result.Test, once.Result.Test);
    }

    [Fact]
    public void APredictionHoldsOnlyItsCurrentStatesFromStepToStep()
    {
        GraphDataset data = SharedData.Load("cora_ml");
        var config = new TrainConfig { Dataset = data.Name, Task = TaskKind.Link, Algo = "fl-ce-t2i", Layers = 3, Epochs = 2, Threads = 1 };
        var context = new RunContext(data, config, 0, PaperProtocol.RunSeed(config.Seed, 0), CPU) { EdgeSplit = RandomLinkSplit.Generate(data.Edges, 0) };
        var live = new List<long>();
        new ForwardLinkTopDownAlgorithm { PredictionStepDone = _ => live.Add(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount) }.Run(context);

        Assert.Equal(3 * SfTopToInputAlgorithm.TestTimeSteps, live.Count);   // one check, then the final validation and test
        foreach (long[] prediction in live.Chunk(SfTopToInputAlgorithm.TestTimeSteps))
            Assert.All(prediction, count => Assert.Equal(prediction[0], count));
    }
}
