using ForwardGnn.Training;

namespace ForwardGnn.Cli.Reproduce;

/// <summary>
/// One cell of the paper's tables: an algorithm on a GNN at one depth, on one dataset and task, summarised over the
/// splits that finished: test metric mean ± population std (%), mean epochs and train seconds per split, and the
/// largest peak resident memory of a run (for a layer-wise run, its peak when that depth was finished).
/// </summary>
internal sealed record SummaryCell(string Task, string Dataset, string Algo, string Gnn, int Layers, string Metric,
    double Mean, double Std, int Runs, double Epochs, double TrainSeconds, double PeakRssMiB)
{
    public string Method => PaperResults.Label(Algo, Gnn);

    public PaperValue? Paper => PaperResults.Find(Task, Dataset, Algo, Gnn, Layers);

    private sealed record Entry(string Metric, double Test, double Epochs, double TrainSeconds, double PeakRssMiB);

    /// <summary>The cells of every complete run under a matrix folder (<see cref="RunRecords.InMatrix"/>).</summary>
    public static List<SummaryCell> Collect(string root) => Collect(RunRecords.InMatrix(root));

    /// <summary>
    /// The cells of <paramref name="records"/>, one entry per (cell, split); where a layer-wise algorithm was run at
    /// several depths, the deepest run supplies the shallower depths too, and a later record of the same run replaces
    /// an earlier one.
    /// </summary>
    public static List<SummaryCell> Collect(IEnumerable<TrainResult> records)
    {
        var entries = new Dictionary<(string Task, string Dataset, string Algo, string Gnn, int Layers, int Split), (int RunDepth, Entry Entry)>();
        foreach (TrainResult r in records)
        foreach (RunResult run in r.PerRun)
        {
            IEnumerable<(int Layers, Entry Entry)> depths = run.PerDepth is { } perDepth
                ? perDepth.Select(d => (d.Layers, new Entry(r.Metric, d.Test, d.Epochs, d.TrainSeconds, d.PeakRssMiB)))
                : [(r.Layers, new Entry(r.Metric, run.Test, run.Epochs, run.TrainSeconds, r.PeakRssMiB))];
            foreach ((int layers, Entry entry) in depths)
            {
                var key = (r.Task, r.Dataset, r.Algo, r.Gnn, layers, run.Split);
                if (!entries.TryGetValue(key, out var old) || old.RunDepth <= r.Layers) entries[key] = (r.Layers, entry);
            }
        }
        return entries
            .GroupBy(kv => (kv.Key.Task, kv.Key.Dataset, kv.Key.Algo, kv.Key.Gnn, kv.Key.Layers), kv => kv.Value.Entry)
            .Select(g =>
            {
                Entry[] e = g.ToArray();
                (double mean, double std) = Summary.MeanStd(e.Select(x => x.Test).ToArray());
                return new SummaryCell(g.Key.Task, g.Key.Dataset, g.Key.Algo, g.Key.Gnn, g.Key.Layers, e[0].Metric, mean, std,
                    e.Length, e.Average(x => x.Epochs), e.Average(x => x.TrainSeconds), e.Max(x => x.PeakRssMiB));
            })
            .OrderBy(c => c.Task).ThenBy(c => c.Dataset).ThenBy(c => GnnOrder(c.Gnn)).ThenBy(c => AlgoOrder(c.Algo)).ThenBy(c => c.Layers)
            .ToList();
    }

    /// <summary>The paper's row order: GNNs GCN, SAGE, GAT; algorithms as registered (BP first).</summary>
    public static int GnnOrder(string gnn) => Array.IndexOf<string>(["gcn", "sage", "gat"], gnn);

    public static int AlgoOrder(string algo)
    {
        int index = Learning.LearningAlgorithms.All.Select(a => a.Name).ToList().IndexOf(algo);
        return index < 0 ? int.MaxValue : index;
    }
}
