using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Learning;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Support;

/// <summary>One run of a node-classification algorithm on a dataset's official split 0, every validation check recorded.</summary>
internal static class RecordedRun
{
    /// <param name="algorithm">The algorithm to run.</param>
    /// <param name="data">The dataset (<see cref="SharedData.Load"/>).</param>
    /// <param name="config">The run's settings; its seed gives the paper's run seed for split 0.</param>
    /// <param name="autogradOnly">Train every layer through autograd (<see cref="RunContext.AutogradOnly"/>).</param>
    public static (RunResult Result, List<ValidationRecord> Checks) OnSplitZero(ILearningAlgorithm algorithm, GraphDataset data,
        TrainConfig config, bool autogradOnly = false)
    {
        var checks = new List<ValidationRecord>();
        var context = new RunContext(data, config, 0, PaperProtocol.RunSeed(config.Seed, 0), CPU)
        {
            NodeSplit = OfficialSplits.Load(SharedData.Roots, data, 0), OnValidation = checks.Add, AutogradOnly = autogradOnly,
        };
        return (algorithm.Run(context), checks);
    }
}
