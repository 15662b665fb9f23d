using System.Diagnostics;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// The schedule shared by the forward algorithms (spec §3.7): up to <c>Epochs</c> local
/// steps, validation every <c>ValEvery</c> epochs after the first, early stopping and checkpointing of the watched
/// module (one layer for greedy algorithms, all layers for top-down ones), then the best checkpoint restored.
/// Greedy algorithms (depth ≥ 1) save each finished layer to the run's checkpoints and, when resuming, load a layer
/// finished earlier instead of training it again.
/// </summary>
internal static class TrainingSchedule
{
    /// <param name="step">One local optimisation step; returns the loss.</param>
    /// <param name="validate">The validation metric of the model up to this layer.</param>
    /// <returns>Epochs run and the best validation metric.</returns>
    public static (int Epochs, double BestVal) Train(RunContext c, int depth, nn.Module layer, Func<float> step, Func<double> validate, Stopwatch clock)
    {
        if (depth > 0 && c.Checkpoints?.TryRestoreLayer(c.Split, depth, layer) is { } finished) return finished;
        TrainConfig config = c.Config;
        using var stopper = new EarlyStopping(config.Patience);
        int epochs = 0;
        for (int epoch = 0; epoch < config.Epochs && !c.Cancel.IsCancellationRequested; epoch++)
        {
            using var scope = NewDisposeScope();
            float loss = StepTimings.Step(c.Timings, step);
            epochs = epoch + 1;
            if (!float.IsFinite(loss) && NumericalGuard.Fault(config.OnNan, "loss", depth, epoch, stopper, layer)) break;
            if (config.Patience < 0 || (epoch + 1) % config.ValEvery != 0 || epoch == 0) continue;
            if (!NumericalGuard.AllFinite(layer) && NumericalGuard.Fault(config.OnNan, "parameter", depth, epoch, stopper, layer)) break;
            double val = StepTimings.Validation(c.Timings, validate);
            c.OnValidation?.Invoke(new ValidationRecord(c.Split, epoch, depth, loss, val, clock.Elapsed.TotalSeconds));
            if (stopper.Check(val, epoch, layer)) break;
        }
        stopper.RestoreBest(layer);
        if (depth > 0) c.Checkpoints?.SaveLayer(c.Split, depth, layer, epochs, stopper.BestScore);
        return (epochs, stopper.BestScore);
    }
}
