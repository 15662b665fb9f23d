using System.CommandLine;
using System.Runtime.CompilerServices;
using ForwardGnn.Cli.Commands;

namespace ForwardGnn.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        NativeEnvironment.ReexecuteIfNeeded();   // the installed tool: restarts under native-env.sh, as ./forwardgnn starts it
        return Run(args);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // the library's setup runs only after the line above
    private static int Run(string[] args)
    {
        RuntimeSetup setup = ForwardGnnRuntime.Initialize();   // also run by the library's module initializer; explicit, as in any app
        PlatformNotes.Tell(setup, Console.Error);
        ParseResult parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line and the usage exit code, like every other bad input, instead of the full help text.
            Console.Error.WriteLine($"forwardgnn: error: {parse.Errors[0].Message.ReplaceLineEndings(" ")} (see --help)");
            return CliErrors.BadInput;
        }
        return parse.Invoke();
    }

    /// <summary>The <c>forwardgnn</c> command tree; each subcommand lives in its own file under Commands/.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("forwardgnn: train graph neural networks with forward learning (and backpropagation baselines)");
        root.Options.Add(CommonOptions.Verbose);
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
