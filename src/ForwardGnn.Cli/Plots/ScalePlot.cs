using ForwardGnn.Cli.RunFolders;
using ForwardGnn.Data;
using ScottPlot;

namespace ForwardGnn.Cli.Plots;

/// <summary>
/// Peak resident memory and median epoch time against graph size, from a JSON-lines file of
/// <c>train --bench --json</c> results on synthetic <c>sbm:</c> graphs: one line per algorithm and depth, both
/// axes of the time panel logarithmic.
/// </summary>
internal static class ScalePlot
{
    private sealed record Point(string Series, double Nodes, double PeakRssGiB, double EpochMs);

    public static string Write(string benchFile, string? outputPath)
    {
        var points = new List<Point>();
        foreach (TrainResult r in JsonLinesFile.Read<TrainResult>(benchFile, w => Console.Error.WriteLine($"forwardgnn: warning: {w}")))
        {
            if (r.Bench is not { } bench) throw new ArgumentException($"{benchFile}: a result without bench timings (run train with --bench)");
            if (!SyntheticSbm.IsSpec(r.Dataset)) throw new ArgumentException($"{benchFile}: {r.Dataset} is not a synthetic sbm: graph");
            points.Add(new Point($"{r.Algo.ToUpperInvariant()}-{r.Gnn.ToUpperInvariant()} L{r.Layers}", SyntheticSbm.Parse(r.Dataset).Nodes,
                bench.PeakRssMiB / 1024, bench.EpochMedianMs));
        }
        if (points.Count == 0) throw new ArgumentException($"{benchFile}: no results");

        var figure = new Multiplot();
        figure.AddPlots(2);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Plot memory = figure.GetPlot(0), time = figure.GetPlot(1);
        memory.Title("peak RSS against graph size");
        memory.YLabel("peak RSS (GiB)");
        time.Title("median epoch time against graph size");
        time.YLabel("epoch time (ms, log scale)");
        double[] sizes = points.Select(p => Math.Log10(p.Nodes)).Distinct().Order().ToArray();
        var decades = Enumerable.Range(-1, 7).Select(e => (double)e).ToArray();
        time.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(decades, decades.Select(Label).ToArray());
        foreach (Plot p in new[] { memory, time })
        {
            p.XLabel("nodes (log scale; 10 directed edges per node)");
            p.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(sizes, sizes.Select(s => Nodes(Math.Pow(10, s))).ToArray());
            p.Axes.SetLimitsX(sizes[0] - 0.3, sizes[^1] + 0.3);
        }
        var palette = new ScottPlot.Palettes.Category10();
        var series = points.Select(p => p.Series).Distinct().Order().ToList();
        foreach (string name in series)
        {
            Point[] line = points.Where(p => p.Series == name).OrderBy(p => p.Nodes).ToArray();
            double[] xs = line.Select(p => Math.Log10(p.Nodes)).ToArray();
            Color color = palette.GetColor(series.IndexOf(name));
            var m = memory.Add.Scatter(xs, line.Select(p => p.PeakRssGiB).ToArray(), color);
            m.LegendText = name;
            var t = time.Add.Scatter(xs, line.Select(p => Math.Log10(p.EpochMs)).ToArray(), color);
            t.LegendText = name;
            foreach (var s in new[] { m, t }) { s.LineWidth = 2; s.MarkerSize = 7; }
        }
        memory.ShowLegend(Alignment.UpperLeft);
        time.ShowLegend(Alignment.UpperLeft);
        string path = outputPath ?? Path.ChangeExtension(benchFile, ".png");
        figure.SavePng(path, 1200, 460);
        return path;
    }

    private static string Label(double log10) => Math.Pow(10, log10) switch
    {
        < 1 and var v => $"{v:0.#}",
        var v => $"{v:0}",
    };

    private static string Nodes(double n) => n >= 1e6 ? $"{n / 1e6:0.#}M" : n >= 1e3 ? $"{n / 1e3:0.#}k" : $"{n:0}";
}
