using System.Diagnostics;
using ForwardGnn.Learning;
using static TorchSharp.torch;

namespace ForwardGnn.Training.Loop;

/// <summary>
/// The one epoch loop of every algorithm (spec §3.7): up to <c>Epochs</c> steps of a <see cref="TrainingTarget"/>, a
/// validation check every <c>ValEvery</c> epochs (never after the first epoch of a forward schedule), and its observers:
/// the non-finite guard, progress reports (<see cref="RunContext.OnValidation"/>), early stopping with the best
/// parameters restored at the end, and, for a layer of a greedy schedule, the run's layer checkpoints. Every epoch runs in
/// its own dispose scope, and each step and check is timed into the run's <see cref="StepTimings"/>.
/// </summary>
internal static class TrainingLoop
{
    /// <returns>Epochs run and the best validation metric (−∞ when no check was made).</returns>
    public static (int Epochs, double BestVal) Run(RunContext c, TrainingTarget target, Stopwatch clock)
    {
        using var stopper = new EarlyStopping(c.Config.Patience);
        ITrainingObserver[] observers =
        [
            new NonFiniteGuard(c.Config.OnNan, stopper),
            new ValidationProgress(c.OnValidation),
            stopper,
            .. target.Layer > 0 && c.Checkpoints is { } folder ? [new LayerCheckpoints(folder, c.Split, stopper)] : Array.Empty<ITrainingObserver>(),
        ];
        foreach (ITrainingObserver observer in observers)
            if (observer.Restore(target) is { } finished) return finished;

        int epochs = Train(c, target, clock, observers);
        foreach (ITrainingObserver observer in observers) observer.AfterTraining(target, epochs);
        return (epochs, stopper.BestScore);
    }

    private static int Train(RunContext c, TrainingTarget target, Stopwatch clock, ITrainingObserver[] observers)
    {
        TrainConfig config = c.Config;
        int epochs = 0;
        ValidationRecord? pending = null;   // the check due after that epoch, made during the next step
        bool Check(ValidationRecord check)
        {
            if (c.TraceTest && target.Test is { } test) check = check with { Test = test() };
            return observers.Any(o => o.AfterCheck(target, check));
        }

        for (int epoch = 0; epoch < config.Epochs && !c.Cancel.IsCancellationRequested; epoch++)
        {
            using var scope = NewDisposeScope();
            bool stopped = false;
            Func<double, bool>? checkBefore = pending is { } due
                ? val => stopped = Check(due with { Val = val, ElapsedSeconds = clock.Elapsed.TotalSeconds })
                : null;
            pending = null;
            EpochOutcome outcome = target.TimesOwnSteps ? target.Step(checkBefore) : StepTimings.Step(c.Timings, () => target.Step(checkBefore));
            if (stopped) break;
            epochs = epoch + 1;
            if (observers.Any(o => o.AfterStep(target, epoch, outcome.Loss))) break;
            if (config.Patience < 0 || (epoch + 1) % config.ValEvery != 0 || (epoch == 0 && !target.ChecksFirstEpoch)) continue;
            if (observers.Any(o => o.BeforeCheck(target, epoch))) break;
            var check = new ValidationRecord(c.Split, epoch, target.Layer, outcome.Loss, double.NaN, 0) { LayerLosses = outcome.LayerLosses };
            if (target.ChecksDuringNextStep)
            {
                pending = check;
                continue;
            }
            double val = StepTimings.Validation(c.Timings, target.Validate);
            if (Check(check with { Val = val, ElapsedSeconds = clock.Elapsed.TotalSeconds })) break;
        }
        if (pending is { } last)   // every break above leaves none
        {
            using var scope = NewDisposeScope();
            double val = StepTimings.Validation(c.Timings, target.Validate);
            Check(last with { Val = val, ElapsedSeconds = clock.Elapsed.TotalSeconds });
        }
        return epochs;
    }
}
