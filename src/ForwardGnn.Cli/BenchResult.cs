using System.Diagnostics;
using ForwardGnn.Engine;
using ForwardGnn.Training;

namespace ForwardGnn.Cli;

/// <summary>
/// Timings of a <c>train --bench</c> invocation: median training-step (epoch) and validation times over all splits
/// and layers after each split's first <see cref="WarmupSteps"/> steps and the validations among them, the number of
/// each, the whole process's wall time up to the result (start-up, data loading and evaluation included; writing the
/// result files and the exit are not), its peak resident memory, MKL's code path for the GEMMs
/// (<see cref="MklKernels.CodePath"/>) and the start-up's milestones (<see cref="StartupTimes"/>).
/// </summary>
internal sealed record BenchResult(double EpochMedianMs, double ValidationMedianMs, int Steps, int Validations,
    int WarmupSteps, double WallSeconds, double PeakRssMiB, string? MklCodePath, StartupTimes Startup)
{
    public const int DefaultWarmup = 10;

    public static BenchResult From(IReadOnlyList<StepTimings> splits, double peakRss)
    {
        double[] steps = splits.SelectMany(t => t.StepSeconds.Skip(DefaultWarmup)).ToArray();
        double[] validations = splits.SelectMany(t => t.ValidationSeconds.Skip(DefaultWarmup / 2)).ToArray();
        double wall = StartupClock.SecondsSinceStart(DateTime.UtcNow);
        DateTime? firstStep = splits.Select(t => t.FirstStepStartedUtc).FirstOrDefault(t => t is not null);
        var startup = new StartupTimes(StartupClock.LauncherSeconds, StartupClock.At(StartupClock.Main),
            StartupClock.At(StartupClock.DataLoaded), StartupClock.At(StartupClock.LibTorchReady),
            firstStep is { } at ? StartupClock.SecondsSinceStart(at) : null);
        return new BenchResult(StepTimings.Median(steps) * 1000, StepTimings.Median(validations) * 1000,
            splits.Sum(t => t.StepSeconds.Count), splits.Sum(t => t.ValidationSeconds.Count), DefaultWarmup, wall, peakRss,
            MklCodePath: MklKernels.CodePath, startup);
    }
}

/// <summary>
/// Start-up of a <c>train --bench</c> process, each in seconds from the process's start (null where unknown):
/// reaching <c>Main</c> (the .NET runtime's start), the dataset loaded, libtorch loaded with its threads set, and
/// the first training step begun (model and graph built, first-use JIT included). Under <c>./forwardgnn</c> the
/// process starts as the launcher script, and <see cref="LauncherSeconds"/> is its share (build check, native
/// environment) before it execs the runtime.
/// </summary>
internal sealed record StartupTimes(double? LauncherSeconds, double? MainSeconds, double? DataLoadedSeconds,
    double? LibTorchReadySeconds, double? FirstStepSeconds);
