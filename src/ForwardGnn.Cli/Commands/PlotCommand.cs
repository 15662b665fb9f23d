using System.CommandLine;
using ForwardGnn.Cli.Plots;

namespace ForwardGnn.Cli.Commands;

/// <summary>
/// <c>forwardgnn plot RUN_DIR</c>: per-layer training curves of a run as a PNG; <c>forwardgnn plot BENCH.jsonl</c>:
/// peak memory and epoch time against graph size from <c>train --bench --json</c> lines on <c>sbm:</c> graphs.
/// </summary>
internal static class PlotCommand
{
    private static readonly Argument<string> RunDir = new("RUN_DIR") { Description = "A run folder holding metrics.jsonl (train --out, or a reproduce run), or a .jsonl file of train --bench --json results on sbm: graphs" };
    private static readonly Option<string?> Out = new("--out") { Description = "PNG path [RUN_DIR/curves.png, or the .jsonl file's name with .png]" };
    private static readonly Option<int?> Split = new("--split") { Description = "Which split's curves [the first in the file]" };

    public static Command Create()
    {
        var command = new Command("plot", "Plot a run's validation metric and training loss per epoch and layer, or bench results against graph size (PNG)");
        command.Arguments.Add(RunDir);
        command.Options.Add(Out);
        command.Options.Add(Split);
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            string input = parse.GetValue(RunDir)!;
            string path = File.Exists(input) && input.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
                ? ScalePlot.Write(input, parse.GetValue(Out))
                : CurvePlot.Write(input, parse.GetValue(Out), parse.GetValue(Split));
            Console.WriteLine(path);
            return 0;
        }));
        return command;
    }
}
