using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.CompilerServices;
using ForwardGnn.Cli.Commands;

namespace ForwardGnn.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        StartupClock.Mark(StartupClock.Main);
        NativeEnvironment.ReexecuteIfNeeded();   // the installed tool: restarts under native-env.sh, as ./forwardgnn starts it
        return QuickExit.End(Run(args));
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

    private const string Description = """
        forwardgnn: train graph neural networks with forward learning (and backpropagation baselines)

        Environment (each change to the process is said once, on first use; docs/runtime.md):
          FORWARDGNN_ALLOCATOR=glibc      glibc's allocator instead of the preloaded tcmalloc
          FORWARDGNN_MKL_DISPATCH=mkl     MKL's own GEMM kernel choice (else by CPU features, on non-Intel x86-64)
          FORWARDGNN_HUGE_HEAP=off        tcmalloc's heap on 4 KiB pages (else grown in 2 MiB blocks on huge pages)
          FORWARDGNN_NATIVE_ENV=off       none of the launcher's changes (preloads, GLIBC_TUNABLES)
          FORWARDGNN_NATIVE_LOAD_FIX=off  libLibTorchSharp.so left as shipped (docs/native-load.md)
          FORWARDGNN_QUICK_EXIT=off       the ordinary exit (runtime shutdown, native destructors) instead of _exit
          OMP_WAIT_POLICY, OMP_NUM_THREADS, MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_,
          GLIBC_TUNABLES                  kept as you set them
          FORWARDGNN_DATA=DIR             the data root (else ./data, then shared/datasets beside the checkout)
        """;

    /// <summary>The <c>forwardgnn</c> command tree; each subcommand lives in its own file under Commands/.</summary>
    /// <remarks>A plain command named <c>forwardgnn</c> rather than a <see cref="RootCommand"/>, whose name is the file the
    /// process was started from (<c>ForwardGnn.Cli</c> for <c>dotnet ForwardGnn.Cli.dll</c>): usage lines say
    /// <c>forwardgnn</c> however the tool was started.</remarks>
    public static Command BuildRoot()
    {
        var root = new Command("forwardgnn", Description) { new HelpOption(), new VersionOption() };
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
