using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Learning;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Layers;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

[Collection(SerialCollection.Name)]
public class SfTopToInputAlgorithmTests
{
    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Gat)]
    public void ProjectingTheInputOnceEqualsTheLiteralPrediction(GnnKind gnn)
    {
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Algo = "sf-t2i", Gnn = gnn, Layers = 3, Epochs = 16, Lr = 0.01, Threads = 1 };
        NodeSplit split = OfficialSplits.Load(SharedData.Roots, data, 0);
        (RunResult Result, List<ValidationRecord> Checks) Run(bool once)
        {
            var checks = new List<ValidationRecord>();
            var context = new RunContext(data, config, 0, PaperProtocol.RunSeed(config.Seed, 0), CPU) { NodeSplit = split, OnValidation = checks.Add };
            return (new SfTopToInputAlgorithm { ProjectInputOnce = once }.Run(context), checks);
        }

        var literal = Run(once: false);
        var once = Run(once: true);

        Assert.Equal(8, once.Checks.Count);
        Assert.Equal(literal.Checks.Select(c => (c.Epoch, c.Loss, c.Val)), once.Checks.Select(c => (c.Epoch, c.Loss, c.Val)));
        Assert.Equal(literal.Result.Val, once.Result.Val);
        Assert.Equal(literal.Result.Test, once.Result.Test);
    }

    [Fact]
    public void APredictionHoldsOnlyItsCurrentStatesFromStepToStep()
    {
        GraphDataset data = SharedData.Load("cora_ml");
        var config = new TrainConfig { Dataset = data.Name, Algo = "sf-t2i", Layers = 3, Epochs = 2, Threads = 1 };
        var context = new RunContext(data, config, 0, PaperProtocol.RunSeed(config.Seed, 0), CPU) { NodeSplit = OfficialSplits.Load(SharedData.Roots, data, 0) };
        var live = new List<long>();
        new SfTopToInputAlgorithm { PredictionStepDone = _ => live.Add(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount) }.Run(context);

        Assert.Equal(3 * SfTopToInputAlgorithm.TestTimeSteps, live.Count);   // one check, then the final validation and test
        foreach (long[] prediction in live.Chunk(SfTopToInputAlgorithm.TestTimeSteps))
            Assert.All(prediction, count => Assert.Equal(prediction[0], count));
    }
}
