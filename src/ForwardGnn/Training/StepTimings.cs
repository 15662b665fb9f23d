using System.Diagnostics;

namespace ForwardGnn.Training;

/// <summary>
/// Wall-clock durations of every training step (one epoch's local or end-to-end update, loss read back included)
/// and of every validation check of a run, for benchmarking. Steps restored from a checkpoint are not recorded.
/// </summary>
public sealed class StepTimings
{
    private readonly List<double> _steps = [];
    private readonly List<double> _validations = [];

    /// <summary>Duration in seconds of every recorded training step, in order.</summary>
    public IReadOnlyList<double> StepSeconds => _steps;
    /// <summary>Duration in seconds of every recorded validation check, in order.</summary>
    public IReadOnlyList<double> ValidationSeconds => _validations;

    /// <summary>When the first recorded training step began (UTC); null before any. Start-up is measured up to it.</summary>
    public DateTime? FirstStepStartedUtc { get; private set; }

    /// <summary>Runs <paramref name="step"/> and records its duration.</summary>
    internal static T Step<T>(StepTimings? timings, Func<T> step) => Step(timings, step, TimeSpan.Zero);

    /// <summary>Runs the rest of a step, <paramref name="step"/>, and records its duration plus <paramref name="spentBefore"/>.</summary>
    internal static T Step<T>(StepTimings? timings, Func<T> step, TimeSpan spentBefore)
    {
        if (timings is not null) timings.FirstStepStartedUtc ??= DateTime.UtcNow - spentBefore;
        return Time(timings?._steps, step, spentBefore);
    }

    /// <summary>Runs <paramref name="validate"/> and records its duration.</summary>
    internal static T Validation<T>(StepTimings? timings, Func<T> validate) => Time(timings?._validations, validate);

    private static T Time<T>(List<double>? into, Func<T> action, TimeSpan spentBefore = default)
    {
        if (into is null) return action();
        long start = Stopwatch.GetTimestamp();
        T result = action();
        into.Add((Stopwatch.GetElapsedTime(start) + spentBefore).TotalSeconds);
        return result;
    }

    /// <summary>Median of <paramref name="values"/> after skipping the first <paramref name="skip"/>; NaN if none remain.</summary>
    public static double Median(IReadOnlyList<double> values, int skip = 0)
    {
        double[] kept = values.Skip(skip).Order().ToArray();
        if (kept.Length == 0) return double.NaN;
        int mid = kept.Length / 2;
        return kept.Length % 2 == 1 ? kept[mid] : (kept[mid - 1] + kept[mid]) / 2;
    }
}
