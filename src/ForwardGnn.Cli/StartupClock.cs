using System.Diagnostics;

namespace ForwardGnn.Cli;

/// <summary>
/// Start-up milestones of this process, in seconds from its start (the <c>dotnet</c> host's exec), for
/// <c>train --bench</c>: the runtime reaching <c>Main</c>, the dataset loaded, libtorch loaded and its threads set,
/// and (from <see cref="ForwardGnn.Training.StepTimings.FirstStepStartedUtc"/>) the first training step. Started by
/// <c>./forwardgnn</c>, the process is the launcher script's, which execs <c>dotnet</c> after its checks and sets
/// <c>FORWARDGNN_EXEC_NS</c> (ns since the epoch) just before: the launcher's share is the time up to then.
/// </summary>
internal static class StartupClock
{
    private static readonly DateTime ProcessStartUtc = Process.GetCurrentProcess().StartTime.ToUniversalTime();
    private static readonly Dictionary<string, double> Marks = [];

    /// <summary>Records the first time <paramref name="milestone"/> is reached.</summary>
    public static void Mark(string milestone)
    {
        lock (Marks) Marks.TryAdd(milestone, SecondsSinceStart(DateTime.UtcNow));
    }

    public static double SecondsSinceStart(DateTime utc) => (utc - ProcessStartUtc).TotalSeconds;

    public static double? At(string milestone)
    {
        lock (Marks) return Marks.TryGetValue(milestone, out double seconds) ? seconds : null;
    }

    /// <summary>Seconds from the process's start to the launcher's exec of <c>dotnet</c>, if a launcher said when.</summary>
    public static double? LauncherSeconds =>
        long.TryParse(Environment.GetEnvironmentVariable("FORWARDGNN_EXEC_NS"), out long ns) && ns > 0
            ? SecondsSinceStart(DateTime.UnixEpoch.AddTicks(ns / 100))
            : null;

    public const string Main = "main";
    public const string DataLoaded = "dataLoaded";
    public const string LibTorchReady = "libTorchReady";
}
