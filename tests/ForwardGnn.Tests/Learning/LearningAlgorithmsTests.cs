using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Engine;
using ForwardGnn.Learning;
using ForwardGnn.Training;
using ForwardGnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning;

[Collection(SerialCollection.Name)]   // sets the global thread count
public class LearningAlgorithmsTests
{
    public static TheoryData<string, TaskKind> EveryAlgorithmAndTask()
    {
        var data = new TheoryData<string, TaskKind>();
        foreach (ILearningAlgorithm algorithm in LearningAlgorithms.All)
            foreach (TaskKind task in Enum.GetValues<TaskKind>())
                if (algorithm.Supports(task)) data.Add(algorithm.Name, task);
        return data;
    }

    /// <summary>
    /// A run disposes every tensor it makes, so runs of several splits in one process do not pile up memory. The live
    /// count is kept per thread, so the run stays on this one (no layers side by side), and tensors that other tests
    /// left to the finalizer are collected first.
    /// </summary>
    [Theory]
    [MemberData(nameof(EveryAlgorithmAndTask))]
    public void NoTensorOutlivesARun(string algo, TaskKind task)
    {
        GraphDataset data = SharedData.Load("cora_ml");
        var config = new TrainConfig { Dataset = data.Name, Task = task, Algo = algo, Layers = 2, Epochs = 2, Threads = 1 };
        var experiment = new Experiment(data, SharedData.Roots, config, CPU);
        int saved = ComputeThreads.Count;
        try
        {
            ComputeThreads.Set(1);
            EarlierRuns.Release();
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            experiment.RunSplit(0);
            Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
        finally { ComputeThreads.Set(saved); }
    }
}
