using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Layers;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Baselines;

public class PepitaAlgorithmTests
{
    private static (RunResult Result, List<ValidationRecord> Checks) Run(string algo, double lr)
    {
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Algo = algo, Gnn = GnnKind.Sage, Layers = 2, Epochs = 60, Lr = lr, Threads = 1 };
        var checks = new List<ValidationRecord>();
        return (new Experiment(data, SharedData.Roots, config, CPU).RunSplit(0, checks.Add), checks);
    }

    [Fact]
    public void ModulatedUpdatesThroughAdamTrainGraphSageOnCiteSeer()
    {
        (RunResult result, List<ValidationRecord> checks) = Run("pepita-adam", 0.01);

        Assert.Null(result.PerDepth);
        Assert.NotEmpty(checks);
        Assert.All(checks, c => Assert.Equal(0, c.Layer));
        Assert.InRange(result.Test, 60, 100);   // 6 classes: far above what a constant prediction scores
    }

    [Fact]
    public void OriginalSgdUpdateLowersTheTrainingLoss()
    {
        (RunResult result, List<ValidationRecord> checks) = Run("pepita", 0.01);

        Assert.NotEmpty(checks);
        Assert.True(checks[^1].Loss < checks[0].Loss, $"loss {checks[0].Loss} → {checks[^1].Loss}");
        Assert.InRange(result.Test, 0, 100);
    }
}
