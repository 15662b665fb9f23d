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
        (int epochs, double best) = Train(c, depth, layer, () => (step(), null), validate, clock);
        if (depth > 0) c.Checkpoints?.SaveLayer(c.Split, depth, layer, epochs, best);
        return (epochs, best);
    }

    /// <summary>The schedule for a whole model whose layers each take a local step per epoch.</summary>
    /// <param name="step">One step of every layer; returns each layer's loss, layer 1 first.</param>
    public static (int Epochs, double BestVal) Train(RunContext c, nn.Module model, Func<float[]> step, Func<double> validate, Stopwatch clock) =>
        Train(c, 0, model, () =>
        {
            float[] layers = step();
            return (Mean(layers), layers);
        }, validate, clock);

    private static (int Epochs, double BestVal) Train(RunContext c, int depth, nn.Module layer, Func<(float Loss, float[]? Layers)> step,
        Func<double> validate, Stopwatch clock)
    {
        TrainConfig config = c.Config;
        using var stopper = new EarlyStopping(config.Patience);
        int epochs = 0;
        for (int epoch = 0; epoch < config.Epochs && !c.Cancel.IsCancellationRequested; epoch++)
        {
            using var scope = NewDisposeScope();
            (float loss, float[]? layerLosses) = StepTimings.Step(c.Timings, step);
            epochs = epoch + 1;
            if (!float.IsFinite(loss) && NumericalGuard.Fault(config.OnNan, "loss", depth, epoch, stopper, layer)) break;
            if (config.Patience < 0 || (epoch + 1) % config.ValEvery != 0 || epoch == 0) continue;
            if (!NumericalGuard.AllFinite(layer) && NumericalGuard.Fault(config.OnNan, "parameter", depth, epoch, stopper, layer)) break;
            double val = StepTimings.Validation(c.Timings, validate);
            c.OnValidation?.Invoke(new ValidationRecord(c.Split, epoch, depth, loss, val, clock.Elapsed.TotalSeconds) { LayerLosses = layerLosses });
            if (stopper.Check(val, epoch, layer)) break;
        }
        stopper.RestoreBest(layer);
        return (epochs, stopper.BestScore);
    }

    /// <summary>
    /// The same schedule for a whole-model algorithm whose validation can run beside the next step: the check due
    /// after step t reads <paramref name="copy"/>, loaded with the model's parameters before step t + 1 starts, and
    /// <paramref name="step"/> runs it alongside that step's updates. The checks, the checkpoints and the result are
    /// those of validating before step t + 1; when a check stops training, the step made beside it is discarded by
    /// restoring the best checkpoint and is not counted.
    /// </summary>
    /// <param name="step">One step of every layer, running the action it is given (if any) beside them; returns each layer's loss.</param>
    /// <param name="validateCopy">The validation metric of <paramref name="copy"/>'s parameters.</param>
    public static (int Epochs, double BestVal) TrainValidatingBeside(RunContext c, nn.Module model, nn.Module copy,
        Func<Action?, float[]> step, Func<double> validateCopy, Stopwatch clock)
    {
        TrainConfig config = c.Config;
        using var stopper = new EarlyStopping(config.Patience);
        int epochs = 0;
        (int Epoch, float Loss, float[] Layers)? pending = null;   // the check due after that epoch, not yet made
        bool Check(double val, (int Epoch, float Loss, float[] Layers) due)
        {
            c.OnValidation?.Invoke(new ValidationRecord(c.Split, due.Epoch, 0, due.Loss, val, clock.Elapsed.TotalSeconds) { LayerLosses = due.Layers });
            return stopper.Check(val, due.Epoch, copy);
        }

        for (int epoch = 0; epoch < config.Epochs && !c.Cancel.IsCancellationRequested; epoch++)
        {
            using var scope = NewDisposeScope();
            double val = double.NaN;
            Action? beside = null;
            if (pending is not null)
            {
                CopyParameters(model, copy);
                beside = () => val = StepTimings.Validation(c.Timings, validateCopy);
            }
            float[] layerLosses = StepTimings.Step(c.Timings, () => step(beside));
            float loss = Mean(layerLosses);
            if (pending is { } due)
            {
                pending = null;
                if (Check(val, due)) break;
            }
            epochs = epoch + 1;
            if (!float.IsFinite(loss) && NumericalGuard.Fault(config.OnNan, "loss", 0, epoch, stopper, model)) break;
            if (config.Patience < 0 || (epoch + 1) % config.ValEvery != 0 || epoch == 0) continue;
            if (!NumericalGuard.AllFinite(model) && NumericalGuard.Fault(config.OnNan, "parameter", 0, epoch, stopper, model)) break;
            pending = (epoch, loss, layerLosses);
        }
        if (pending is { } last)
        {
            CopyParameters(model, copy);
            Check(StepTimings.Validation(c.Timings, validateCopy), last);
        }
        stopper.RestoreBest(model);
        return (epochs, stopper.BestScore);
    }

    private static float Mean(float[] losses)
    {
        float sum = 0;
        foreach (float loss in losses) sum += loss;
        return sum / losses.Length;
    }

    private static void CopyParameters(nn.Module from, nn.Module to)
    {
        using var _ = no_grad();
        var source = from.state_dict();
        foreach ((string name, Tensor value) in to.state_dict()) value.copy_(source[name]);
    }
}
