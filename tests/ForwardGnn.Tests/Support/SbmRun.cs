using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Learning;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Support;

/// <summary>
/// One node-classification run on a small SBM graph (300 nodes, 3 classes; nodes 0–119 train, 120–179 validate, the
/// rest test) with the thread's live tensor count taken at every validation check.
/// </summary>
internal static class SbmRun
{
    /// <param name="algo">The registered algorithm's name (<see cref="LearningAlgorithms.Find"/>).</param>
    /// <param name="epochs">Epochs per layer (or for the whole model).</param>
    public static (RunResult Result, List<long> LiveAtChecks) CountingLiveTensors(string algo, int epochs)
    {
        GraphDataset data = SyntheticSbm.Generate(SyntheticSbm.Parse("sbm:nodes=300,degree=8,features=32,classes=3,seed=1"));
        int[] order = Enumerable.Range(0, data.NumNodes).ToArray();
        var split = new NodeSplit(0, order[..120], order[120..180], order[180..], "test");
        var config = new TrainConfig { Dataset = data.Name, Algo = algo, Layers = 2, Hidden = 16, Epochs = epochs, Lr = 0.01, Threads = 1 };
        var live = new List<long>();
        var context = new RunContext(data, config, 0, PaperProtocol.RunSeed(config.Seed, 0), CPU)
        {
            NodeSplit = split,
            OnValidation = _ => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount),
        };
        return (LearningAlgorithms.Find(algo).Run(context), live);
    }
}
