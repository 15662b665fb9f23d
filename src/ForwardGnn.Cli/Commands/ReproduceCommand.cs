using System.CommandLine;
using ForwardGnn.Cli.Plots;
using ForwardGnn.Cli.Reproduce;
using ForwardGnn.Cli.RunFolders;
using ForwardGnn.Learning;

namespace ForwardGnn.Cli.Commands;

/// <summary>
/// <c>forwardgnn reproduce</c>: runs the paper's experiment matrix (or a slice of it) as child <c>train</c> runs,
/// skipping runs whose result is already complete, then writes <c>summary.csv</c>, <c>summary.md</c> and plots; with
/// <c>--results DIR</c> it also records the matrix in that results folder and renders its page (<see cref="ResultsBook"/>).
/// </summary>
internal static class ReproduceCommand
{
    private static readonly Option<string> Datasets = new("--datasets") { Description = "Comma-separated datasets", DefaultValueFactory = _ => "cora_ml,citeseer,photo,github" };
    private static readonly Option<string> Tasks = new("--tasks") { Description = "node, link or both", DefaultValueFactory = _ => "node,link" };
    private static readonly Option<string> Gnns = new("--gnns") { Description = "Comma-separated GNNs", DefaultValueFactory = _ => "gcn,sage,gat" };
    private static readonly Option<string> Algos = new("--algos")
    {
        Description = "Comma-separated algorithms (those that do not support a task are skipped for it)",
        DefaultValueFactory = _ => string.Join(",", LearningAlgorithms.All.Select(a => a.Name)),
    };
    private static readonly Option<string> LayerRange = new("--layers") { Description = "Depths: 1-4 or 2,4 (layer-wise algorithms run once at the largest)", DefaultValueFactory = _ => "1-4" };
    private static readonly Option<string> Splits = new("--splits") { Description = "Splits: 0-4 or 0,2", DefaultValueFactory = _ => "0-4" };
    private static readonly Option<string> Out = new("--out") { Description = "Matrix folder (runs/, summary.*, plots/)", DefaultValueFactory = _ => Path.Combine("runs", "reproduce") };
    private static readonly Option<int> Jobs = new("--jobs") { Description = "Runs at a time", DefaultValueFactory = _ => 1 };
    private static readonly Option<int?> Threads = new("--threads") { Description = "CPU threads per run [cores / jobs]" };
    private static readonly Option<int> Epochs = new("--epochs") { Description = "Epoch budget per run (per layer for layer-wise algorithms)", DefaultValueFactory = _ => 1000 };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "List the runs, marking those already complete, and exit" };
    private static readonly Option<string?> Results = new("--results")
    {
        Description = "Also record this matrix's runs in a results folder (raw/<name>.jsonl, sources.txt) and render its README.md page",
    };
    private static readonly Option<string?> Name = new("--name") { Description = "The matrix's name in --results [the --out folder's name]" };
    private static readonly Option<bool> RenderOnly = new("--render-only") { Description = "Run nothing: render the --results page from its sources" };
    private static readonly Option<string?> DataRootOption = CommonOptions.DataRoot();
    private static readonly Option<bool> NoDownload = CommonOptions.NoDownload();

    public static Command Create()
    {
        var command = new Command("reproduce", "Run the paper's experiment matrix (resumable) and write summary tables and plots");
        foreach (Option o in new Option[] { Datasets, Tasks, Gnns, Algos, LayerRange, Splits, Out, Jobs, Threads, Epochs, DryRun, Results, Name, RenderOnly, DataRootOption, NoDownload })
            command.Options.Add(o);
        command.SetAction(parse => CliErrors.Run(parse, () => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        ResultsBook? book = parse.GetValue(Results) is { } resultsFolder ? new ResultsBook(resultsFolder) : null;
        if (parse.GetValue(RenderOnly))
        {
            if (book is null) throw new UsageException("--render-only renders a --results folder; give --results DIR");
            Console.WriteLine($"{book.Render()} cells rendered from {book.Sources().Count} sources into {book.PagePath}");
            return 0;
        }
        static string[] List(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        List<MatrixRun> runs = ExperimentMatrix.Expand(List(parse.GetValue(Datasets)!), List(parse.GetValue(Tasks)!), List(parse.GetValue(Gnns)!),
            List(parse.GetValue(Algos)!), TrainSettings.ParseIntRanges(parse.GetValue(LayerRange)!), TrainSettings.ParseIntRanges(parse.GetValue(Splits)!));
        Protocol.PaperProtocol.CheckSplits(runs.Select(r => r.Split).ToArray());
        string root = parse.GetValue(Out)!;
        string name = parse.GetValue(Name) ?? Path.GetFileName(Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar));
        if (name.Length == 0 || name.IndexOfAny([.. Path.GetInvalidFileNameChars(), ' ']) >= 0)
            throw new UsageException($"--name '{name}' must be a plain file name (no spaces or slashes)");
        int jobs = parse.GetValue(Jobs), epochs = parse.GetValue(Epochs);
        if (jobs < 1) throw new UsageException("--jobs must be at least 1");
        if (epochs < 1) throw new UsageException("--epochs must be at least 1");
        int threads = parse.GetValue(Threads) ?? Math.Max(1, Environment.ProcessorCount / jobs);
        if (threads < 1) throw new UsageException("--threads must be at least 1");

        List<MatrixRun> pending = runs.Where(r => !CompletedRun.IsComplete(r, root, epochs)).ToList();
        if (parse.GetValue(DryRun))
        {
            var toRun = pending.ToHashSet();
            foreach (MatrixRun r in runs) Console.WriteLine($"{(toRun.Contains(r) ? "to run" : "done  ")}  {r}");
            Console.WriteLine($"{runs.Count} runs: {runs.Count - pending.Count} complete, {pending.Count} to run, in {root}");
            return 0;
        }

        // One matrix process per folder; each child train also locks its own run folder.
        using RunFolderLock matrixLock = RunFolder.Open(root, RunFolderKind.Matrix, overwrite: false, "--out");
        foreach (MatrixRun r in pending) CompletedRun.DiscardIfOtherBudget(r, root, epochs);
        var shared = new List<string> { "--epochs", $"{epochs}", "--threads", $"{threads}" };
        if (parse.GetValue(DataRootOption) is { } dataRoot) shared.AddRange(["--data-root", Path.GetFullPath(dataRoot)]);
        if (parse.GetValue(NoDownload)) shared.Add("--no-download");
        Console.Error.WriteLine($"reproduce: {runs.Count} runs, {runs.Count - pending.Count} already complete, {pending.Count} to run ({jobs} at a time, {threads} thread{(threads == 1 ? "" : "s")} each) in {root}");

        var progress = new MatrixProgress(pending.Count);
        var runner = new MatrixRunner(root, shared, jobs);
        List<RunOutcome> outcomes = progress.Show(() => runner.RunAsync(pending, progress.Started, progress.Finished)).GetAwaiter().GetResult();

        List<SummaryCell> cells = SummaryCell.Collect(root);
        string command = "forwardgnn " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1));
        SummaryTables.WriteCsv(cells, Path.Combine(root, "summary.csv"));
        SummaryTables.WriteMarkdown(cells, Path.Combine(root, "summary.md"), command);
        List<string> plots = DepthPlots.Write(cells, Path.Combine(root, "plots"));

        RunOutcome[] failed = outcomes.Where(o => !o.Succeeded).ToArray();
        Console.WriteLine($"{cells.Count} cells summarised in {Path.Combine(root, "summary.md")} and summary.csv; {plots.Count} plots in {Path.Combine(root, "plots")}");
        if (book is not null)
        {
            int recorded = book.Record(root, name, $"`{command}`");
            Console.WriteLine($"{recorded} runs recorded as {name} in {book.Folder}; {book.Render()} cells on {book.PagePath}");
        }
        foreach (RunOutcome f in failed) Console.Error.WriteLine($"forwardgnn: run failed: {f.Run}: {f.Message} (log: {Path.Combine(f.Run.Folder(root), "train.log")})");
        return failed.Length == 0 ? 0 : 1;
    }
}
