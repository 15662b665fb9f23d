using ForwardGnn.Training;

namespace ForwardGnn.Cli;

/// <summary>Mean over runs of one depth of a layer-wise algorithm.</summary>
internal sealed record DepthSummary(int Layers, double Test, double TestStd, double Val, double Epochs, double TrainSeconds, double PeakRssMiB);

/// <summary>The summary of a <c>train</c> invocation, as printed with <c>--json</c> and written to result.json.</summary>
internal sealed record TrainResult(string Dataset, string Task, string Gnn, string Algo, int Layers, int[] Splits, string Metric,
    double Test, double TestStd, double Val, IReadOnlyList<RunResult> PerRun, double TrainSeconds, double PeakRssMiB)
{
    /// <summary>Layer-wise algorithms: the result of every depth 1..L (means over runs); null otherwise.</summary>
    public IReadOnlyList<DepthSummary>? PerDepth { get; init; }

    /// <summary>With <c>--bench</c>: step and validation timings; null otherwise.</summary>
    public BenchResult? Bench { get; init; }

    /// <summary>The version of the tool that wrote the result (<see cref="ToolInfo.Version"/>).</summary>
    public string ToolVersion { get; init; } = ToolInfo.Version;

    /// <summary>The commit the tool was built from; null when unknown.</summary>
    public string? Commit { get; init; } = ToolInfo.Commit;

    /// <summary>When the result was made, UTC (ISO 8601); like the timings, it differs between identical runs.</summary>
    public string FinishedUtc { get; init; } = ToolInfo.UtcNow();

    /// <summary>Distributed runs: bytes sent and seconds spent per kind of communication, summed over the ranks; null otherwise.</summary>
    public IReadOnlyDictionary<string, Distributed.Traffic>? Traffic { get; init; }

    /// <summary>Distributed runs: each rank's peak resident memory (MiB), rank 0 first; null otherwise.</summary>
    public IReadOnlyList<double>? RankPeakRssMiB { get; init; }

    public static TrainResult From(TrainConfig c, int[] splits, string metric, IReadOnlyList<RunResult> runs, double peakRss)
    {
        (double test, double std) = Summary.MeanStd(runs.Select(r => r.Test).ToArray());
        return new TrainResult(c.Dataset, c.Task.ToString().ToLowerInvariant(), c.Gnn.ToString().ToLowerInvariant(), c.Algo,
            c.Layers, splits, metric, test, std, runs.Average(r => r.Val), runs, runs.Sum(r => r.TrainSeconds), peakRss)
        {
            PerDepth = runs.All(r => r.PerDepth is not null) ? Depths(runs) : null,
        };
    }

    private static List<DepthSummary> Depths(IReadOnlyList<RunResult> runs) =>
        Enumerable.Range(0, runs[0].PerDepth!.Count).Select(d =>
        {
            DepthResult[] at = runs.Select(r => r.PerDepth![d]).ToArray();
            (double mean, double std) = Summary.MeanStd(at.Select(x => x.Test).ToArray());
            return new DepthSummary(d + 1, mean, std, at.Average(x => x.Val), at.Average(x => x.Epochs), at.Average(x => x.TrainSeconds),
                at.Max(x => x.PeakRssMiB));
        }).ToList();
}
