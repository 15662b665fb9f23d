using System.CommandLine;
using ForwardGnn.Cli.Commands;

namespace ForwardGnn.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        ForwardGnnRuntime.Initialize();   // also run by the library's module initializer; explicit, as in any app
        ParseResult parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line and the usage exit code, like every other bad input, instead of the full help text.
            Console.Error.WriteLine($"forwardgnn: error: {parse.Errors[0].Message.ReplaceLineEndings(" ")} (see --help)");
            return CliErrors.BadInput;
        }
        if (parse.GetValue(CommonOptions.MaxMemory) is { } max)
        {
            if (ForwardGnn.Data.MemoryBudget.Parse(max) is not { } bytes)
            {
                Console.Error.WriteLine($"forwardgnn: error: --max-memory '{ForwardGnn.Data.EchoedText.Shorten(max, 40)}' is not a size (4G, 512M, 1.5GiB or bytes)");
                return CliErrors.BadInput;
            }
            ForwardGnn.Data.MemoryBudget.Limit = bytes;
        }
        return parse.Invoke();
    }

    /// <summary>The <c>forwardgnn</c> command tree; each subcommand lives in its own file under Commands/.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("forwardgnn: train graph neural networks with forward learning (and backpropagation baselines)");
        root.Options.Add(CommonOptions.Verbose);
        root.Options.Add(CommonOptions.MaxMemory);
        root.Subcommands.Add(DatasetsCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(EmbedCommand.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(KernelsCommand.Create());
        return root;
    }
}
