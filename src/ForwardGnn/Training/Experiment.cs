using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Learning;
using static TorchSharp.torch;

namespace ForwardGnn.Training;

/// <summary>
/// Runs one configuration on each of its splits: loads the split the task needs (official node splits or
/// RandomLinkSplit), seeds the run (seed·101 + 3·split) and hands it to the learning algorithm.
/// </summary>
public sealed class Experiment(GraphDataset data, DataRoots roots, TrainConfig config, Device device)
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
    public RunResult RunSplit(int split, Action<ValidationRecord>? onValidation = null, CheckpointFolder? checkpoints = null,
        CancellationToken cancel = default, StepTimings? timings = null, bool keepModel = false)
    {
        ReleaseEarlierRuns();
        var context = new RunContext(data, config, split, config.RunSeed(split), device)
        {
            OnValidation = onValidation,
            Checkpoints = checkpoints,
            Cancel = cancel,
            Timings = timings,
            KeepModel = keepModel,
        };
        if (config.Task == TaskKind.Node)
        {
            NodeSplit nodes = NodeSplits.Load(roots, data, split);
            nodes.CheckEveryClassIsTrained(data.Labels, data.NumClasses);
            context = context with { NodeSplit = nodes };
        }
        else
            context = context with { EdgeSplit = RandomLinkSplit.Generate(data.Edges, split) };
        return Algorithm.Run(context);
    }

    /// <summary>
    /// What a finished run leaves behind (its graphs' large arrays, objects that free native memory when finalized)
    /// goes only in a full collection, which a training loop's small allocations rarely trigger: without one, each
    /// split of a multi-split run added its leftovers to the peak (Amazon-Photo SF-SAGE L4, five splits: 659 MiB, against
    /// 383 MiB for one split and 395 MiB for five with this).
    /// </summary>
    internal static void ReleaseEarlierRuns()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();   // finalizers free native memory, and may leave more to collect
        GC.Collect();
        GC.WaitForPendingFinalizers();   // nothing of earlier runs is finalized once this run has begun
    }

    private static ILearningAlgorithm ResolveAlgorithm(TrainConfig config)
    {
        ILearningAlgorithm algorithm = LearningAlgorithms.Find(config.Algo);
        if (!algorithm.Supports(config.Task))
            throw new ArgumentException($"algorithm '{algorithm.Name}' does not support the {config.Task.ToString().ToLowerInvariant()} task");
        return algorithm;
    }
}
