using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Models;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Learning;

/// <summary>What one run gets: the data, its split for the task, the configuration, the seed and the device.</summary>
public sealed record RunContext(GraphDataset Data, TrainConfig Config, int Split, long Seed, Device Device)
{
    /// <summary>The node split (node classification).</summary>
    public NodeSplit? NodeSplit { get; init; }

    /// <summary>The edge split (link prediction).</summary>
    public EdgeSplit? EdgeSplit { get; init; }

    /// <summary>Called after every validation check.</summary>
    public Action<ValidationRecord>? OnValidation { get; init; }

    /// <summary>
    /// Also measure the test metric at every validation check, of the parameters the check read, into
    /// <see cref="ValidationRecord.Test"/> (algorithms with <see cref="ILearningAlgorithm.TracesTest"/>). A measurement of
    /// how the test metric moves during training, for comparing model-selection protocols; training, early stopping and
    /// the reported result are those of a run without it.
    /// </summary>
    public bool TraceTest { get; init; }

    /// <summary>Cancels the run between training steps.</summary>
    public CancellationToken Cancel { get; init; }

    /// <summary>Where the training loop records the duration of every step and validation check; null: not timed.</summary>
    public StepTimings? Timings { get; init; }

    /// <summary>Where layer-wise algorithms save each finished layer and look for one to resume from; null: none.</summary>
    public ILayerCheckpoints? Checkpoints { get; init; }

    /// <summary>
    /// Distributed training (layer-wise forward algorithms that support it): the ranks of the job; every rank runs the
    /// same context. Null: this process is the whole job.
    /// </summary>
    internal Distributed.ICommunicator? Ranks { get; init; }

    /// <summary>
    /// Distributed SF and BP: this rank's shard of the split, written by a preparation step (<see cref="Distributed.RankShard"/>),
    /// read instead of partitioning <see cref="Data"/>, which then need only hold the labels. Null: the rank partitions the data itself.
    /// </summary>
    internal string? ShardFile { get; init; }

    /// <summary>
    /// Train through autograd even where a step with its gradients written out applies (such steps compute the same
    /// loss and gradients up to float rounding; tests compare the two paths). False (the default): use them.
    /// </summary>
    internal bool AutogradOnly { get; init; }

    /// <summary>
    /// Return the trained model in <see cref="RunResult.Model"/> (the caller owns and disposes it); when false (the
    /// default) it is released as the run ends.
    /// </summary>
    public bool KeepModel { get; init; }

    /// <summary>The card of a model trained by <paramref name="algorithm"/> in this run (not yet marked with its result).</summary>
    internal ModelCard Card(string algorithm) => new(ModelCard.CurrentFormatVersion, algorithm, Config.Task, Config.Gnn,
        Config.Layers, Config.Hidden, Data.NumFeatures, Data.NumClasses);

    /// <summary>The run's result with its model, marked with what it was trained on, if <see cref="KeepModel"/>; else releases the model.</summary>
    internal RunResult Deliver(RunResult result, GnnModel model)
    {
        if (!KeepModel)
        {
            model.Dispose();
            return result;
        }
        model.DetachFromDisposeScopes();
        model.Card = model.Card with { TrainedOn = new TrainedOn(Data.Name, Split, Seed, Config.MetricName, result.Test, result.Val) };
        return result with { Model = model };
    }
}
