using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
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

    public CancellationToken Cancel { get; init; }

    /// <summary>Where the training loop records the duration of every step and validation check; null: not timed.</summary>
    public StepTimings? Timings { get; init; }

    /// <summary>Where layer-wise algorithms save each finished layer and look for one to resume from; null: none.</summary>
    public CheckpointFolder? Checkpoints { get; init; }
}
