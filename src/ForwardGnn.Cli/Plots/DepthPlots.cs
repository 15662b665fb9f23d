using ForwardGnn.Cli.Reproduce;
using ScottPlot;

namespace ForwardGnn.Cli.Plots;

/// <summary>
/// Per task and dataset, two PNGs with one panel per GNN: the test metric against depth for every algorithm (our
/// mean as a line with ± std error bars, the paper's mean as hollow markers of the same colour), and peak resident
/// memory against depth (backpropagation beside forward learning).
/// </summary>
internal static class DepthPlots
{
    public static List<string> Write(IReadOnlyList<SummaryCell> cells, string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var table in cells.GroupBy(c => (c.Task, c.Dataset)))
        {
            SummaryCell[] t = table.ToArray();
            string stem = Path.Combine(folder, $"{table.Key.Task}-{table.Key.Dataset}");
            string metric = t[0].Metric == "accuracy" ? "test accuracy (%)" : "test ROC-AUC (×100)";
            string where = $"{table.Key.Dataset}, {table.Key.Task}";
            written.Add(Panels(t, $"{stem}-metric.png", where, metric, c => c.Mean, c => c.Std, withPaper: true));
            written.Add(Panels(t, $"{stem}-memory.png", where, "peak RSS (MiB)", c => c.PeakRssMiB, _ => 0, withPaper: false));
        }
        return written;
    }

    private static string Panels(SummaryCell[] cells, string path, string title, string yLabel, Func<SummaryCell, double> value,
        Func<SummaryCell, double> error, bool withPaper)
    {
        var gnns = cells.Select(c => c.Gnn).Distinct().OrderBy(SummaryCell.GnnOrder).ToArray();
        var algos = cells.Select(c => c.Algo).Distinct().OrderBy(SummaryCell.AlgoOrder).ToList();
        var palette = new ScottPlot.Palettes.Category10();
        var figure = new Multiplot();
        figure.AddPlots(gnns.Length);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        int[] depths = cells.Select(c => c.Layers).Distinct().Order().ToArray();
        for (int g = 0; g < gnns.Length; g++)
        {
            Plot plot = figure.GetPlot(g);
            plot.Title($"{gnns[g].ToUpperInvariant()} · {title}");
            plot.Axes.Title.Label.FontSize = 15;
            plot.XLabel("GNN layers");
            plot.YLabel(yLabel);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                depths.Select(d => (double)d).ToArray(), depths.Select(d => $"{d}").ToArray());
            foreach (string algo in algos)
            {
                SummaryCell[] line = cells.Where(c => c.Gnn == gnns[g] && c.Algo == algo).OrderBy(c => c.Layers).ToArray();
                if (line.Length == 0) continue;
                Color color = palette.GetColor(algos.IndexOf(algo));
                double[] xs = line.Select(c => (double)c.Layers).ToArray();
                var scatter = plot.Add.Scatter(xs, line.Select(value).ToArray(), color);
                scatter.LegendText = PaperResults.AlgoLabel(algo);
                scatter.LineWidth = 2;
                scatter.MarkerSize = 7;
                if (line.Any(c => error(c) > 0))
                {
                    var bars = plot.Add.ErrorBar(xs, line.Select(value).ToArray(), line.Select(error).ToArray());
                    bars.Color = color;
                }
                SummaryCell[] paper = withPaper ? line.Where(c => c.Paper is not null).ToArray() : [];
                if (paper.Length > 0)
                {
                    var markers = plot.Add.Markers(paper.Select(c => (double)c.Layers).ToArray(), paper.Select(c => c.Paper!.Mean).ToArray(),
                        MarkerShape.OpenDiamond, 11, color);
                    markers.LegendText = $"{PaperResults.AlgoLabel(algo)} (paper)";
                }
            }
            plot.Axes.SetLimitsX(depths[0] - 0.3, depths[^1] + 0.3);
            plot.ShowLegend(Edge.Right);
        }
        figure.SavePng(path, 640 * gnns.Length, 460);
        return path;
    }
}
