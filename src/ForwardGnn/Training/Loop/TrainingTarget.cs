using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Training.Loop;

/// <summary>
/// What one run of the <see cref="TrainingLoop"/> trains: a watched module (one layer of a greedy algorithm, or the
/// whole model), one epoch's update, and the validation metric of its current parameters.
/// </summary>
internal sealed record TrainingTarget(int Layer, nn.Module Watched)
{
    /// <summary>
    /// One epoch's update. Given a check (one is due and <see cref="ChecksDuringNextStep"/>), the step computes the
    /// validation metric of the parameters as they were before its update (on its forward output, or on a copy beside
    /// its updates) and hands it to the check, which records it and says whether training stops; a step that can still
    /// skip its update then does.
    /// </summary>
    public required Func<Func<double, bool>?, EpochOutcome> Step { get; init; }

    /// <summary>The validation metric of the current parameters (higher is better).</summary>
    public required Func<double> Validate { get; init; }

    /// <summary>
    /// The test metric of the current parameters, measured right after a check (before any further update) when the
    /// run traces it (<see cref="Learning.RunContext.TraceTest"/>); null: the target has none to trace.
    /// </summary>
    public Func<double>? Test { get; init; }

    /// <summary>
    /// The check due after epoch t is made during epoch t + 1's step (its result is that of checking before the step);
    /// when that check stops training, the step made beside it is discarded by restoring the best parameters and is
    /// not counted. False: checks run after their epoch's step.
    /// </summary>
    public bool ChecksDuringNextStep { get; init; }

    /// <summary>What early stopping copies at a check: the module the check read (default <see cref="Watched"/>).</summary>
    public nn.Module? Checked { get; init; }

    /// <summary>Whether a check may fall after the first epoch (backpropagation); forward schedules never check there.</summary>
    public bool ChecksFirstEpoch { get; init; }

    /// <summary>The step records its own duration in the run's timings (it leaves out a validation it makes).</summary>
    public bool TimesOwnSteps { get; init; }
}

/// <summary>One epoch's losses: their mean, and each layer's where a whole model trains every layer at each step (null otherwise).</summary>
internal readonly record struct EpochOutcome(float Loss, float[]? LayerLosses = null)
{
    /// <summary>The outcome of a step that trains every layer: the mean of their losses, and each.</summary>
    public static EpochOutcome OfLayers(float[] losses)
    {
        float sum = 0;
        foreach (float loss in losses) sum += loss;
        return new EpochOutcome(sum / losses.Length, losses);
    }
}
