using System.Diagnostics;
using ForwardGnn.Training;
using ForwardGnn.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// The forward algorithms' schedules on the one <see cref="TrainingLoop"/> (spec §3.7): a greedy layer (depth ≥ 1,
/// checkpointed), or a whole model whose layers each take a local step per epoch, validated after the step or beside
/// the next one.
/// </summary>
internal static class TrainingSchedule
{
    /// <param name="step">One local optimisation step; returns the loss.</param>
    /// <param name="validate">The validation metric of the model up to this layer.</param>
    /// <returns>Epochs run and the best validation metric.</returns>
    /// <param name="c">The run.</param>
    /// <param name="depth">The layer (1-based; 0 for a whole model), for checkpoints and validation records.</param>
    /// <param name="layer">The layer's parameters, watched by early stopping.</param>
    /// <param name="clock">The run's clock.</param>
    public static (int Epochs, double BestVal) Train(RunContext c, int depth, nn.Module layer, Func<float> step, Func<double> validate, Stopwatch clock) =>
        TrainingLoop.Run(c, new TrainingTarget(depth, layer) { Step = _ => new EpochOutcome(step()), Validate = validate }, clock);

    /// <summary>The schedule for a whole model whose layers each take a local step per epoch.</summary>
    /// <param name="step">One step of every layer; returns each layer's loss, layer 1 first.</param>
    /// <param name="c">The run.</param>
    /// <param name="model">The whole model, watched by early stopping.</param>
    /// <param name="validate">The validation metric of the model.</param>
    /// <param name="clock">The run's clock.</param>
    public static (int Epochs, double BestVal) Train(RunContext c, nn.Module model, Func<float[]> step, Func<double> validate, Stopwatch clock) =>
        TrainingLoop.Run(c, new TrainingTarget(0, model) { Step = _ => EpochOutcome.OfLayers(step()), Validate = validate }, clock);

    /// <summary>
    /// The same schedule for a whole-model algorithm whose validation can run beside the next step: the check due
    /// after step t reads <paramref name="copy"/>, loaded with the model's parameters before step t + 1 starts, and
    /// <paramref name="step"/> runs it alongside that step's updates. The checks, the checkpoints and the result are
    /// those of validating before step t + 1.
    /// </summary>
    /// <param name="step">One step of every layer, running the action it is given (if any) beside them; returns each layer's loss.</param>
    /// <param name="validateCopy">The validation metric of <paramref name="copy"/>'s parameters.</param>
    /// <param name="c">The run.</param>
    /// <param name="model">The whole model, watched by early stopping.</param>
    /// <param name="copy">A second model of the same shape that validation reads.</param>
    /// <param name="clock">The run's clock.</param>
    public static (int Epochs, double BestVal) TrainValidatingBeside(RunContext c, nn.Module model, nn.Module copy,
        Func<Action?, float[]> step, Func<double> validateCopy, Stopwatch clock)
    {
        // The copy's tensor for each of the model's, matched by name once: the modules keep their parameter tensors (a
        // layout change replaces a tensor's storage, not the tensor), so every check copies the same pairs.
        var source = model.state_dict();
        (Tensor To, Tensor From)[] pairs = [.. copy.state_dict().Select(p => (p.Value, source[p.Key]))];
        void CopyParameters()
        {
            using var _ = no_grad();
            foreach ((Tensor to, Tensor from) in pairs) to.copy_(from);
        }

        EpochOutcome Step(Func<double, bool>? checkBefore)
        {
            if (checkBefore is null) return EpochOutcome.OfLayers(step(null));
            CopyParameters();
            double val = double.NaN;
            float[] losses = step(() => val = StepTimings.Validation(c.Timings, validateCopy));
            checkBefore(val);   // the copy holds the checked parameters; a stop restores the best into the model
            return EpochOutcome.OfLayers(losses);
        }
        return TrainingLoop.Run(c, new TrainingTarget(0, model)
        {
            Step = Step,
            Validate = () =>
            {
                CopyParameters();
                return validateCopy();
            },
            ChecksDuringNextStep = true,
            Checked = copy,
        }, clock);
    }
}
