using System.CommandLine;
using ForwardGnn.Cli.Plots;

namespace ForwardGnn.Cli.Commands;

/// <summary><c>forwardgnn plot RUN_DIR</c>: per-layer training curves of a run as a PNG.</summary>
internal static class PlotCommand
{
    private static readonly Argument<string> RunDir = new("RUN_DIR") { Description = "A run folder holding metrics.jsonl (train --out, or a reproduce run)" };
    private static readonly Option<string?> Out = new("--out") { Description = "PNG path [RUN_DIR/curves.png]" };
    private static readonly Option<int?> Split = new("--split") { Description = "Which split's curves [the first in the file]" };

    public static Command Create()
    {
        var command = new Command("plot", "Plot a run's validation metric and training loss per epoch and layer (PNG)");
        command.Arguments.Add(RunDir);
        command.Options.Add(Out);
        command.Options.Add(Split);
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            string path = CurvePlot.Write(parse.GetValue(RunDir)!, parse.GetValue(Out), parse.GetValue(Split));
            Console.WriteLine(path);
            return 0;
        }));
        return command;
    }
}
