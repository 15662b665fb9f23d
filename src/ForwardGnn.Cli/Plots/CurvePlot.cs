using System.Text.Json;
using ForwardGnn.Cli.Commands;
using ForwardGnn.Training;
using ScottPlot;

namespace ForwardGnn.Cli.Plots;

/// <summary>
/// Training curves of one run folder (its <c>metrics.jsonl</c>): validation metric and training loss against the
/// epoch, one line per trained layer (layer-wise algorithms) or one line for the whole model, for one split.
/// </summary>
internal static class CurvePlot
{
    public static string Write(string runFolder, string? outputPath, int? split)
    {
        string metricsPath = Path.Combine(runFolder, "metrics.jsonl");
        if (!File.Exists(metricsPath)) throw new ArgumentException($"{runFolder}: no metrics.jsonl (not a train or reproduce run folder)");
        List<ValidationRecord> records = File.ReadLines(metricsPath).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<ValidationRecord>(l, JsonOutput.Options)!).ToList();
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
        foreach (var layer in records.GroupBy(r => r.Layer).OrderBy(g => g.Key))
        {
            double[] epochs = layer.Select(r => (double)r.Epoch + 1).ToArray();
            string label = layer.Key == 0 ? "whole model" : $"layer {layer.Key}";
            Color color = palette.GetColor(Math.Max(layer.Key - 1, 0));
            var v = val.Add.ScatterLine(epochs, layer.Select(r => r.Val).ToArray(), color);
            v.LegendText = label;
            var l = loss.Add.ScatterLine(epochs, layer.Select(r => r.Loss).ToArray(), color);
            l.LegendText = label;
        }
        val.ShowLegend(Alignment.LowerRight);
        loss.ShowLegend(Alignment.UpperRight);
        string path = outputPath ?? Path.Combine(runFolder, "curves.png");
        figure.SavePng(path, 1200, 460);
        return path;
    }
}
