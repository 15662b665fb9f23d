using System.Diagnostics;
using ForwardGnn.Engine;
using ForwardGnn.Training;

namespace ForwardGnn.Cli;

/// <summary>
/// Timings of a <c>train --bench</c> invocation: median training-step (epoch) and validation times over all splits
/// and layers after each split's first <see cref="WarmupSteps"/> steps and the validations among them, the number of
/// each, the whole process's wall time (start-up, data loading and evaluation included), its peak resident memory and
/// MKL's code path for the GEMMs (<see cref="MklKernels.CodePath"/>).
/// </summary>
internal sealed record BenchResult(double EpochMedianMs, double ValidationMedianMs, int Steps, int Validations,
    int WarmupSteps, double WallSeconds, double PeakRssMiB, string? MklCodePath)
{
    public const int DefaultWarmup = 10;

    public static BenchResult From(IReadOnlyList<StepTimings> splits, double peakRss)
    {
        double[] steps = splits.SelectMany(t => t.StepSeconds.Skip(DefaultWarmup)).ToArray();
        double[] validations = splits.SelectMany(t => t.ValidationSeconds.Skip(DefaultWarmup / 2)).ToArray();
        double wall = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
        return new BenchResult(StepTimings.Median(steps) * 1000, StepTimings.Median(validations) * 1000,
            splits.Sum(t => t.StepSeconds.Count), splits.Sum(t => t.ValidationSeconds.Count), DefaultWarmup, wall, peakRss,
            MklKernels.CodePath);
    }
}
