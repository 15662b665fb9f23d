using System.Text.Json;
using ForwardGnn.Data;
using ForwardGnn.Training;
using Spectre.Console;

namespace ForwardGnn.Cli;

/// <summary>
/// The terminal side of <c>train</c>: a progress bar per split on stderr when it is a terminal (plain lines
/// otherwise), then a summary table on stdout — or, with <c>--json</c>, one JSON line as the last line of stdout.
/// </summary>
internal sealed class TrainReporter(bool json)
{
    private readonly IAnsiConsole _err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    private static bool Interactive => !Console.IsErrorRedirected;

    /// <summary>
    /// One progress line: split, layer (layer-wise algorithms; "layers 1-L" for those that train the whole model at
    /// once), epoch, training loss and the validation metric, e.g. <c>split 0 · layer 1/2 · epoch 100/1000 · loss
    /// 0.4321 · val accuracy 85.20</c>.
    /// </summary>
    internal static string Progress(TrainConfig config, ValidationRecord v, bool total)
    {
        string layer = v.Layer > 0 ? $"layer {v.Layer}/{config.Layers}" : config.Layers == 1 ? "layer 1/1" : $"layers 1-{config.Layers}";
        string epoch = total ? $"epoch {v.Epoch + 1}/{config.Epochs}" : $"epoch {v.Epoch + 1}";
        return $"split {v.Split} · {layer} · {epoch} · loss {v.Loss:F4} · val {config.MetricName} {v.Val:F2}";
    }

    public IProgress<DownloadProgress> DownloadProgress() => new Progress<DownloadProgress>(p =>
    {
        if (p.Received == p.Total || p.Received % (1 << 22) < (1 << 16))
            Console.Error.WriteLine($"downloading {p.File}: {p.Received / 1048576.0:F1}{(p.Total is { } t ? $" / {t / 1048576.0:F1}" : "")} MiB");
    });

    /// <summary>Runs <paramref name="config"/> on every split of <paramref name="splits"/> through <paramref name="runSplit"/>, showing progress.</summary>
    public List<RunResult> Run(TrainConfig config, int[] splits, Func<int, Action<ValidationRecord>, RunResult> runSplit)
    {
        var results = new List<RunResult>();
        if (Interactive)
        {
            _err.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    foreach (int split in splits)
                    {
                        ProgressTask task = ctx.AddTask($"split {split}", maxValue: config.Epochs);
                        RunResult r = runSplit(split, v =>
                        {
                            task.Value = v.Epoch + 1;
                            task.Description = Markup.Escape(Progress(config, v, total: false));
                        });
                        task.Description = $"split {split} test {r.Test:F2}";
                        task.Value = task.MaxValue;
                        results.Add(r);
                    }
                });
            return results;
        }
        foreach (int split in splits)
        {
            Console.Error.WriteLine($"split {split}: training {config.Algo}/{config.Gnn.ToString().ToLowerInvariant()} L{config.Layers} on {config.Dataset}");
            RunResult r = runSplit(split, v =>
            {
                if ((v.Epoch + 1) % 100 == 0) Console.Error.WriteLine(Progress(config, v, total: true));
            });
            Console.Error.WriteLine($"split {split}: test {r.Test:F2}, best val {r.Val:F2}, {r.Epochs} epochs, {r.TrainSeconds:F1} s");
            results.Add(r);
        }
        return results;
    }

    public void Summarise(TrainResult result, string outDir)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(result, JsonOutput.Options));
            return;
        }
        var table = new Table().Title($"{result.Dataset} · {result.Task} · {result.Algo} · {result.Gnn} · L{result.Layers}")
            .AddColumns("split", "seed", $"test {result.Metric} %", "best val %", "epochs", "train s");
        foreach (RunResult r in result.PerRun)
            table.AddRow($"{r.Split}", $"{r.Seed}", $"{r.Test:F2}", $"{r.Val:F2}", $"{r.Epochs}", $"{r.TrainSeconds:F1}");
        table.AddRow("mean", "", $"{result.Test:F2} ± {result.TestStd:F2}", $"{result.Val:F2}", "", $"{result.TrainSeconds:F1}");
        AnsiConsole.Write(table);
        if (result.PerDepth is { } depths)
        {
            var perDepth = new Table().Title("every depth of the layer-wise run (mean over splits)")
                .AddColumns("layers", $"test {result.Metric} %", "val %", "epochs on layer", "train s (cumulative)");
            foreach (DepthSummary d in depths)
                perDepth.AddRow($"{d.Layers}", $"{d.Test:F2} ± {d.TestStd:F2}", $"{d.Val:F2}", $"{d.Epochs:F0}", $"{d.TrainSeconds:F1}");
            AnsiConsole.Write(perDepth);
        }
        if (result.Bench is { } b)
            AnsiConsole.MarkupLine($"bench: epoch {Ms(b.EpochMedianMs)} (median of {Math.Max(0, b.Steps - b.WarmupSteps * result.Splits.Length)} after warm-up), " +
                $"validation {Ms(b.ValidationMedianMs)}, whole process {b.WallSeconds:F2} s, MKL code path {b.MklCodePath ?? "n/a"}");
        AnsiConsole.MarkupLine($"peak RSS {result.PeakRssMiB:F0} MiB · results in [blue]{Markup.Escape(outDir)}[/]");
    }

    private static string Ms(double ms) => double.IsFinite(ms) ? $"{ms:F2} ms" : "n/a";
}
