using System.Globalization;
using System.Text;
using ForwardGnn.Training;

namespace ForwardGnn.Cli.Reproduce;

/// <summary>
/// Writes <c>summary.csv</c> (one row per cell, with the paper's value and the difference) and <c>summary.md</c>
/// (per task and dataset, the paper's layout: rows algorithm-GNN, columns depth; then train time and peak memory by
/// depth). Both are written to a temporary file and renamed, so a reader never sees half a file.
/// </summary>
internal static class SummaryTables
{
    public static void WriteCsv(IReadOnlyList<SummaryCell> cells, string path)
    {
        var text = new StringBuilder("task,dataset,method,algo,gnn,layers,metric,mean,std,runs,paper_mean,paper_std,delta,epochs,train_seconds,peak_rss_mib,tool_version,commit,written_utc\n");
        string tool = string.Join(",", ToolInfo.Version, ToolInfo.Commit ?? "", ToolInfo.UtcNow());   // who wrote the table, when
        foreach (SummaryCell c in cells)
        {
            PaperValue? p = c.Paper;
            text.AppendLine(string.Join(",", c.Task, c.Dataset, c.Method, c.Algo, c.Gnn, N(c.Layers), c.Metric, N(c.Mean), N(c.Std), N(c.Runs),
                p is null ? "" : N(p.Mean), p is null ? "" : N(p.Std), p is null ? "" : N(c.Mean - p.Mean), N(c.Epochs),
                N(c.TrainSeconds), N(c.PeakRssMiB), tool));
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    public static void WriteMarkdown(IReadOnlyList<SummaryCell> cells, string path, string command)
    {
        var md = new StringBuilder("# Reproduction summary\n\n");
        md.AppendLine($"Command: `{command}`\n");
        md.AppendLine("Cells: our mean ± population std over the splits that finished (n), then the paper's mean ± std and our difference.");
        md.AppendLine("Train seconds are the mean per split (for layer-wise algorithms, the time to finish that depth); peak RSS is the");
        md.AppendLine("largest VmHWM of a run, in MiB (for layer-wise algorithms, when that depth was finished).\n");
        foreach (var table in cells.GroupBy(c => (c.Task, c.Dataset)))
        {
            SummaryCell[] t = table.ToArray();
            int[] depths = t.Select(c => c.Layers).Distinct().Order().ToArray();
            string metric = t[0].Metric == "accuracy" ? "test accuracy %" : "test ROC-AUC × 100";
            md.AppendLine($"## {table.Key.Task} · {table.Key.Dataset}\n");
            Section(md, $"{metric}", t, depths, c =>
                $"{c.Mean:F2} ± {c.Std:F2} (n={c.Runs})" + (c.Paper is { } p ? $"<br>paper {p.Mean:F2} ± {p.Std:F1} ({c.Mean - p.Mean:+0.00;-0.00;+0.00})" : ""));
            Section(md, "train seconds per split", t, depths, c => $"{c.TrainSeconds:F1}");
            Section(md, "peak RSS MiB", t, depths, c => $"{c.PeakRssMiB:F0}");
        }
        AtomicFile.WriteAllText(path, md.ToString());
    }

    private static void Section(StringBuilder md, string title, SummaryCell[] cells, int[] depths, Func<SummaryCell, string> format)
    {
        md.AppendLine($"**{title}**\n");
        md.AppendLine("| method | " + string.Join(" | ", depths.Select(d => $"L={d}")) + " |");
        md.AppendLine("|---|" + string.Concat(depths.Select(_ => "---|")));
        foreach (var row in cells.GroupBy(c => c.Method))
        {
            var byDepth = row.ToDictionary(c => c.Layers);
            md.AppendLine($"| {row.Key} | " + string.Join(" | ", depths.Select(d => byDepth.TryGetValue(d, out var c) ? format(c) : "")) + " |");
        }
        md.AppendLine();
    }

    private static string N(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
