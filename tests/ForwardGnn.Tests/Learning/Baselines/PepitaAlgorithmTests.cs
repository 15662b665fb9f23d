using ForwardGnn.Data;
using ForwardGnn.Layers;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Baselines;

public class PepitaAlgorithmTests
{
    [Fact]
    public void ModulatedUpdatesTrainGraphSageOnCiteSeer()
    {
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Algo = "pepita-adam", Gnn = GnnKind.Sage, Layers = 2, Epochs = 60, Lr = 0.01, Threads = 1 };
        var checks = new List<ValidationRecord>();
        RunResult result = new Experiment(data, SharedData.Roots, config, CPU).RunSplit(0, checks.Add);

        Assert.Null(result.PerDepth);
        Assert.All(checks, c => Assert.Equal(0, c.Layer));
        Assert.InRange(result.Test, 60, 100);   // 6 classes: far above what a constant prediction scores
    }
}
