using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Learning;
using ForwardGnn.Models;
using static TorchSharp.torch;

namespace ForwardGnn.Training;

/// <summary>
/// The library's front door: trains <see cref="TrainConfig.Algo"/> on a graph and a split and returns the trained
/// model (<see cref="GnnModel"/>), whose card records the validation and test metric of the run
/// (<see cref="ModelCard.TrainedOn"/>). The run is seeded with <see cref="TrainConfig.Seed"/>, so the same inputs
/// give the same model. (The CLI seeds split r with seed·101 + 3r: set <c>Seed = 10100</c> to repeat its split 0.)
/// </summary>
public static class Trainer
{
    /// <summary>Trains a node classifier on <paramref name="split"/> of <paramref name="data"/>.</summary>
    /// <param name="data">The graph, features and labels.</param>
    /// <param name="split">Train / val / test nodes; its index seeds the run.</param>
    /// <param name="config">Model and training settings; its task is set to node classification.</param>
    /// <param name="onValidation">Called after every validation check (progress, curves); null: none.</param>
    public static GnnModel TrainNodeClassifier(GraphDataset data, NodeSplit split, TrainConfig config, Action<ValidationRecord>? onValidation = null)
    {
        split.CheckEveryClassIsTrained(data.Labels, data.NumClasses);
        return Train(data, config with { Task = TaskKind.Node }, split.Index, onValidation, c => c with { NodeSplit = split });
    }

    /// <summary>Trains a link predictor on <paramref name="split"/> (for example <see cref="RandomLinkSplit.Generate"/>).</summary>
    /// <param name="data">The graph and features.</param>
    /// <param name="split">Train graph and supervision pairs; its index seeds the run.</param>
    /// <param name="config">Model and training settings; its task is set to link prediction.</param>
    /// <param name="onValidation">Called after every validation check (progress, curves); null: none.</param>
    public static GnnModel TrainLinkPredictor(GraphDataset data, EdgeSplit split, TrainConfig config, Action<ValidationRecord>? onValidation = null) =>
        Train(data, config with { Task = TaskKind.Link }, split.Index, onValidation, c => c with { EdgeSplit = split });

    private static GnnModel Train(GraphDataset data, TrainConfig config, int split, Action<ValidationRecord>? onValidation,
        Func<RunContext, RunContext> withSplit)
    {
        config = config with { Dataset = data.Name };
        config.Validate();
        EarlierRuns.Release();
        ILearningAlgorithm algorithm = LearningAlgorithms.Find(config.Algo);
        if (!algorithm.Supports(config.Task))
            throw new ArgumentException($"algorithm '{algorithm.Name}' does not support the {config.Task.ToString().ToLowerInvariant()} task");
        LearningAlgorithms.CheckDropout(algorithm, config);
        var context = new RunContext(data, config, split, config.Seed, CPU) { OnValidation = onValidation, KeepModel = true };
        RunResult result = algorithm.Run(withSplit(context));
        return result.Model ?? throw new NotSupportedException($"algorithm '{algorithm.Name}' does not return a model in this build " +
            $"(those that do: {string.Join(", ", ModelKinds.Algorithms)})");
    }
}
