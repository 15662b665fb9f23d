using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Learning;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Cli.Protocol;

/// <summary>
/// Runs one configuration on the paper's splits: loads the split the task needs (<see cref="OfficialSplits"/> or
/// RandomLinkSplit), seeds the run (<see cref="PaperProtocol.RunSeed"/>) and hands it to the learning algorithm.
/// </summary>
internal sealed class Experiment(GraphDataset data, DataRoots roots, TrainConfig config, Device device)
{
    /// <summary>The learning algorithm named by the configuration.</summary>
    public ILearningAlgorithm Algorithm { get; } = ResolveAlgorithm(config);

    /// <summary>"accuracy" or "roc_auc".</summary>
    public string MetricName => config.MetricName;

    /// <summary>Runs the configuration on split <paramref name="split"/> and returns its result.</summary>
    /// <param name="split">The split index (official node split or RandomLinkSplit seed).</param>
    /// <param name="onValidation">Called after every validation check; null: none.</param>
    /// <param name="cancel">Cancels the run between steps.</param>
    /// <param name="checkpoints">Where finished layers are saved and, when resuming, found; null keeps none.</param>
    /// <param name="timings">Where the duration of every step and validation check is recorded; null: not timed.</param>
    /// <param name="keepModel">Return the trained model in <see cref="RunResult.Model"/> (the caller disposes it).</param>
    /// <param name="ranks">Distributed training: the ranks of the job (every rank calls this alike); null: one process.</param>
    /// <param name="shardFile">Distributed SF or BP: this rank's shard of the split (a partition cache's); null: the rank partitions the data.</param>
    /// <param name="traceTest">Also measure the test metric at every check (<see cref="RunContext.TraceTest"/>).</param>
    public RunResult RunSplit(int split, Action<ValidationRecord>? onValidation = null, ILayerCheckpoints? checkpoints = null,
        CancellationToken cancel = default, StepTimings? timings = null, bool keepModel = false, ForwardGnn.Distributed.ICommunicator? ranks = null,
        string? shardFile = null, bool traceTest = false)
    {
        EarlierRuns.Release();
        var context = new RunContext(data, config, split, PaperProtocol.RunSeed(config.Seed, split), device)
        {
            OnValidation = onValidation,
            Checkpoints = checkpoints,
            Cancel = cancel,
            Timings = timings,
            KeepModel = keepModel,
            Ranks = ranks,
            ShardFile = shardFile,
            TraceTest = traceTest,
        };
        if (config.Task == TaskKind.Node)
        {
            NodeSplit nodes = OfficialSplits.Load(roots, data, split);
            nodes.CheckEveryClassIsTrained(data.Labels, data.NumClasses);
            context = context with { NodeSplit = nodes };
        }
        else
            context = context with { EdgeSplit = RandomLinkSplit.Generate(data.Edges, split) };
        return Algorithm.Run(context);
    }

    private static ILearningAlgorithm ResolveAlgorithm(TrainConfig config)
    {
        ILearningAlgorithm algorithm = LearningAlgorithms.Find(config.Algo);
        if (!algorithm.Supports(config.Task))
            throw new ArgumentException($"algorithm '{algorithm.Name}' does not support the {config.Task.ToString().ToLowerInvariant()} task");
        LearningAlgorithms.CheckDropout(algorithm, config);
        return algorithm;
    }
}
