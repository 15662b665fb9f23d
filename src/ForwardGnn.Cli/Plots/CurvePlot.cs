using ForwardGnn.Cli.Commands;
using ForwardGnn.Cli.RunFolders;
using ForwardGnn.Training;
using ScottPlot;

namespace ForwardGnn.Cli.Plots;

/// <summary>
/// Training curves of one run folder (its <c>metrics.jsonl</c>): validation metric and training loss against the
/// epoch, one line per trained layer (layer-wise algorithms) or one line for the whole model, for one split. A
/// whole-model run that records each layer's loss also gets a dashed loss line per layer.
/// </summary>
internal static class CurvePlot
{
    public static string Write(string runFolder, string? outputPath, int? split)
    {
        string metricsPath = Path.Combine(runFolder, "metrics.jsonl");
        if (!File.Exists(metricsPath)) throw new ArgumentException($"{runFolder}: no metrics.jsonl (not a train or reproduce run folder)");
        List<ValidationRecord> records = JsonLinesFile.Read<ValidationRecord>(metricsPath, w => Console.Error.WriteLine($"forwardgnn: warning: {w}"));
        if (records.Count == 0) throw new ArgumentException($"{metricsPath}: no validation records yet");
        int shown = split ?? records[0].Split;
        records = records.Where(r => r.Split == shown).ToList();
        if (records.Count == 0) throw new ArgumentException($"{metricsPath}: no records for split {shown}");

        var figure = new Multiplot();
        figure.AddPlots(2);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Plot val = figure.GetPlot(0), loss = figure.GetPlot(1);
        string configPath = Path.Combine(runFolder, "config.yaml");
        TrainSettings? config = File.Exists(configPath) ? TrainSettings.Load(configPath) : null;
        string name = config is null
            ? Path.GetFileName(Path.GetFullPath(runFolder).TrimEnd(Path.DirectorySeparatorChar))
            : $"{config.Dataset} · {config.Algo}-{config.Gnn} L{config.Layers}";
        string metric = config?.Task == "link" ? "validation ROC-AUC (×100)" : "validation accuracy (%)";
        val.Title($"{name}, split {shown}");
        loss.Title("training loss");
        foreach (Plot p in new[] { val, loss }) p.XLabel("epoch (within the layer for layer-wise runs)");
        val.YLabel(metric);
        loss.YLabel("loss");
        var palette = new ScottPlot.Palettes.Category10();
        foreach (Series s in Curves(records, r => r.Val))
            val.Add.ScatterLine(s.Epochs, s.Values, palette.GetColor(s.Color)).LegendText = s.Label;
        foreach (Series s in Curves(records, r => r.Loss))
            loss.Add.ScatterLine(s.Epochs, s.Values, palette.GetColor(s.Color)).LegendText = s.Label;
        foreach (Series s in LayerLossCurves(records))
        {
            var line = loss.Add.ScatterLine(s.Epochs, s.Values, palette.GetColor(s.Color));
            line.LegendText = s.Label;
            line.LinePattern = LinePattern.Dashed;
        }
        val.ShowLegend(Alignment.LowerRight);
        loss.ShowLegend(Alignment.UpperRight);
        string path = outputPath ?? Path.Combine(runFolder, "curves.png");
        figure.SavePng(path, 1200, 460);
        return path;
    }

    /// <summary>
    /// Renders a tiny plot in memory and discards it, so that the plotting library's native code, fonts and JIT are
    /// ready when <see cref="Write"/> runs at the end of a run: <c>train</c> calls it on a background thread while it
    /// loads the dataset, which leaves the second core idle (about 0.15 s less at the end of a run). Never throws.
    /// </summary>
    public static void Warm()
    {
        try
        {
            var plot = new Plot();
            plot.Add.ScatterLine(new double[] { 1, 2 }, new double[] { 1, 2 }).LegendText = "warm";
            plot.Title("warm");
            plot.XLabel("x");
            plot.ShowLegend(Alignment.LowerRight);
            plot.GetImageBytes(96, 64, ImageFormat.Png);
        }
        catch (Exception)
        {
            // Only a head start: Write reports any real problem.
        }
    }

    /// <summary>One line of a plot: x = epoch (1-based), y = the value; the colour index in the palette.</summary>
    internal sealed record Series(string Label, double[] Epochs, double[] Values, int Color);

    /// <summary>One series per trained layer (layer-wise runs) or one for the whole model.</summary>
    internal static List<Series> Curves(IReadOnlyList<ValidationRecord> records, Func<ValidationRecord, double> value) =>
        records.GroupBy(r => r.Layer).OrderBy(g => g.Key).Select(layer => new Series(layer.Key == 0 ? "whole model" : $"layer {layer.Key}",
            Epochs(layer), layer.Select(value).ToArray(), Math.Max(layer.Key - 1, 0))).ToList();

    /// <summary>A whole-model run's loss of each layer (<c>layerLosses</c>), when every record carries them.</summary>
    internal static List<Series> LayerLossCurves(IReadOnlyList<ValidationRecord> records)
    {
        var whole = records.Where(r => r.Layer == 0).ToList();
        int depth = whole.FirstOrDefault()?.LayerLosses?.Count ?? 0;
        if (depth == 0 || whole.Any(r => r.LayerLosses?.Count != depth)) return [];
        return Enumerable.Range(0, depth).Select(k =>
            new Series($"layer {k + 1}", Epochs(whole), whole.Select(r => (double)r.LayerLosses![k]).ToArray(), k + 1)).ToList();
    }

    private static double[] Epochs(IEnumerable<ValidationRecord> records) => records.Select(r => (double)r.Epoch + 1).ToArray();
}
