using ForwardGnn.Training;

namespace ForwardGnn.Cli;

/// <summary>The summary of a <c>train</c> invocation, as printed with <c>--json</c> and written to result.json.</summary>
internal sealed record TrainResult(string Dataset, string Task, string Gnn, string Algo, int Layers, int[] Splits, string Metric,
    double Test, double TestStd, double Val, IReadOnlyList<RunResult> PerRun, double TrainSeconds, double PeakRssMiB)
{
    public static TrainResult From(TrainConfig c, string metric, IReadOnlyList<RunResult> runs, double peakRss)
    {
        (double test, double std) = Summary.MeanStd(runs.Select(r => r.Test).ToArray());
        return new TrainResult(c.Dataset, c.Task.ToString().ToLowerInvariant(), c.Gnn.ToString().ToLowerInvariant(), c.Algo,
            c.Layers, c.Splits, metric, test, std, runs.Average(r => r.Val), runs, runs.Sum(r => r.TrainSeconds), peakRss);
    }
}
