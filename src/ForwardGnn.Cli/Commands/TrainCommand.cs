using System.CommandLine;
using ForwardGnn.Cli.Distributed;
using ForwardGnn.Cli.Models;
using ForwardGnn.Cli.Plots;
using ForwardGnn.Cli.Protocol;
using ForwardGnn.Cli.RunFolders;
using ForwardGnn.Data;
using ForwardGnn.Distributed;
using ForwardGnn.Layers;
using ForwardGnn.Learning;
using ForwardGnn.Data.Splits;
using ForwardGnn.Models;
using ForwardGnn.Training;
using TorchSharp;

namespace ForwardGnn.Cli.Commands;

/// <summary><c>forwardgnn train</c>: trains one configuration on one or more splits and summarises the test metric.</summary>
internal static class TrainCommand
{
    private static readonly Option<string?> Dataset = new("--dataset") { Description = "Dataset name or alias, or a path: .npz file, folder with edges.csv, Planetoid folder [CitationFull-Cora_ML]" };
    private static readonly Option<string?> Task = new("--task") { Description = "node | link [node]" };
    private static readonly Option<string?> Gnn = new("--gnn") { Description = $"{string.Join(" | ", GnnLayers.All.Select(t => t.Name))} [gcn]" };
    private static readonly Option<string?> Algo = new("--algo")
    {
        Description = $"Learning algorithm: {string.Join(" | ", LearningAlgorithms.All.Select(a => a.Name))} [bp] (docs/algorithms.md)",
    };
    private static readonly Option<int?> Layers = new("--layers") { Description = "Number of GNN layers [2]" };
    private static readonly Option<int?> Split = new("--split") { Description = "One split, 0..4 [0]" };
    private static readonly Option<string?> Splits = new("--splits") { Description = "Several splits: 0-4 or 0,2,4 (mean ± std)" };
    private static readonly Option<string?> SplitFile = new("--split-file") { Description = "Node split as 'node,part' lines (part: train, val, test); used as every split (0..4: runs that differ in their seeds)" };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = "Maximum epochs [1000]" };
    private static readonly Option<int?> Patience = new("--patience") { Description = "Early-stopping patience in validation checks; <0 disables [100]" };
    private static readonly Option<int?> ValEvery = new("--val-every") { Description = "Validate every N epochs [2]" };
    private static readonly Option<double?> Lr = new("--lr") { Description = "Adam learning rate [0.001]" };
    private static readonly Option<double?> WeightDecay = new("--weight-decay") { Description = "Adam (L2) weight decay [0.0005]" };
    private static readonly Option<int?> Hidden = new("--hidden") { Description = "Hidden channels [128]" };
    private static readonly Option<double?> Dropout = new("--dropout") { Description = "Dropout rate on hidden activations in training (bp node classification, dfa) [0: none]" };
    private static readonly Option<int?> Seed = new("--seed") { Description = "Base seed; split r runs with seed·101 + 3r [100]" };
    private static readonly Option<int?> Threads = new("--threads") { Description = "CPU threads for libtorch [all cores]" };
    private static readonly Option<string?> OnNan = new("--on-nan") { Description = "On a NaN/infinite loss or parameter: stop (exit 1) | restore (last checkpoint, end that layer) [stop]" };
    private static readonly Option<double?> Temperature = new("--temperature") { Description = "τ of SF's class scores (sf, sf-t2l, sf-t2i) [1.0]" };
    private static readonly Option<double?> FfTheta = new("--ff-theta") { Description = "θ of the forward-forward goodness (ff-la, ff-vn, fl-ff) [2.0]" };
    private static readonly Option<int?> TestTimeSteps = new("--test-time-steps") { Description = "Time steps of a top-down prediction (sf-t2i, fl-ce-t2i) [10]" };
    private static readonly Option<double?> GradMaxNorm = new("--grad-max-norm") { Description = "Cap on each layer's gradient norm (sf-t2l) [1.0]" };
    private static readonly Option<double?> DfaAlpha = new("--dfa-alpha") { Description = "α of DFA-GNN's error spreading (dfa) [0.1]" };
    private static readonly Option<int?> DfaSteps = new("--dfa-steps") { Description = "Iterations of DFA-GNN's error spreading; 0: no pseudo errors (dfa) [50]" };
    private static readonly Option<double?> DfaThreshold = new("--dfa-threshold") { Description = "ε of DFA-GNN's node filter; 1: no filter (dfa) [0.5]" };
    private static readonly Option<bool> DfaSoftmax = new("--dfa-softmax") { Description = "DFA-GNN with a softmax output and cross-entropy instead of the sigmoid and BCE (dfa)" };
    private static readonly Option<string?> Config = new("--config") { Description = "YAML file of settings (defaults < file < flags)" };
    private static readonly Option<string?> Out = new("--out") { Description = "Output folder [runs/<dataset>-<task>-<algo>-<gnn>-L<layers>]" };
    private static readonly Option<string?> Save = new("--save")
    {
        Description = "Also save the trained model here (the --out folder always gets it; several splits: one models/split<N> each)",
    };
    private static readonly Option<string?> DataRootOption = CommonOptions.DataRoot();
    private static readonly Option<bool> JsonOption = CommonOptions.Json();
    private static readonly Option<bool> NoDownload = CommonOptions.NoDownload();
    private static readonly Option<bool> Resume = new("--resume")
    {
        Description = "Continue the run in --out from its last finished split or layer (same settings required)",
    };
    private static readonly Option<bool> Overwrite = new("--overwrite")
    {
        Description = "Write into a non-empty --out or --save folder that is not a forwardgnn one (only the files train writes are replaced)",
    };
    private static readonly Option<bool> Bench = new("--bench")
    {
        Description = "Also time every training step and validation check; report their medians, whole-process wall time and peak RSS",
    };
    private static readonly Option<bool> TraceTestOption = new("--trace-test")
    {
        Description = "Also record the test metric at every validation check in metrics.jsonl (a measurement: it selects nothing; bp, dfa, drtp)",
    };
    private static readonly Option<bool> DistributedOption = new("--distributed")
    {
        Description = "This process is one rank of an mpirun job (sf, bp or fl-ce; GCN): rank 0 writes --out (docs/distributed.md)",
    };
    private static readonly Option<int?> Ranks = new("--ranks") { Description = "Run as K ranks of an Open MPI job on this machine (mpirun; sf, bp or fl-ce; GCN)" };
    private static readonly Option<string?> Hostfile = new("--hostfile") { Description = "With --ranks: Open MPI hostfile naming the hosts of the job" };
    private static readonly Option<int?> PrepareShards = new("--prepare-shards")
    {
        Description = "Write the partition cache of distributed sf or bp for K ranks into --out's partitions/ and exit (the preparation step of --ranks)",
        Hidden = true,
    };
    private static readonly Option<string?> Shards = new("--shards")
    {
        Description = "With --distributed: read this rank's part of each split from this partition cache instead of the dataset",
        Hidden = true,
    };
    private static readonly Option<bool> WithParent = new("--exit-with-parent")
    {
        Description = "Exit when standard input closes (child runs of reproduce)", Hidden = true,
    };

    public static Command Create()
    {
        var command = new Command("train", "Train a GNN on one or more splits and report the test metric (accuracy or ROC-AUC, %)");
        foreach (Option o in new Option[] { Dataset, Task, Gnn, Algo, Layers, Split, Splits, SplitFile, Epochs, Patience, ValEvery, Lr,
                     WeightDecay, Hidden, Dropout, Seed, Threads, OnNan, Temperature, FfTheta, TestTimeSteps, GradMaxNorm, DfaAlpha, DfaSteps, DfaThreshold, DfaSoftmax,
                     Config, Out, Save, DataRootOption, JsonOption, NoDownload, Resume, Overwrite, Bench, TraceTestOption, DistributedOption, Ranks, Hostfile, PrepareShards, Shards, WithParent })
            command.Options.Add(o);
        command.SetAction(parse => CliErrors.Run(parse, () => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        if (parse.GetValue(WithParent)) ExitWithParent.Watch();
        (TrainConfig config, int[] splits) = Resolve(parse);
        bool distributed = parse.GetValue(DistributedOption);
        bool traceTest = parse.GetValue(TraceTestOption);
        if (traceTest) CheckTraceable(config, distributed || parse.GetValue(Ranks) is not null);
        if (parse.GetValue(Ranks) is { } k)
        {
            if (k is < 1 or > 256) throw new UsageException("--ranks must be 1..256");
            if (distributed) throw new UsageException("give --ranks (to launch) or --distributed (as a launched rank), not both");
            CheckDistributable(parse, config);
            int threads = parse.GetValue(Threads) ?? Math.Max(1, Environment.ProcessorCount / k);
            return RankLauncher.Run(RankLauncher.TrainArguments(Environment.GetCommandLineArgs()[1..]), k, threads, parse.GetValue(Hostfile),
                prepareShards: config.Algo is "sf" or "bp" && k > 1);
        }
        if (parse.GetValue(PrepareShards) is { } parts) return PrepareShardsFor(parse, config, splits, parts);
        string? shards = parse.GetValue(Shards);
        if (shards is not null && (!distributed || config.Algo is not ("sf" or "bp"))) throw new UsageException("--shards is for the ranks of a distributed sf or bp run");
        if (distributed) CheckDistributable(parse, config);
        using ICommunicator? ranks = distributed ? new MpiCommunicator() : null;   // disposed (MPI finalised) as the run ends
        if (ranks is { Size: 1 }) shards = null;   // one rank is the single-process run, on the whole dataset
        try
        {
            return Body();
        }
        catch (Exception e) when (ranks is { Size: > 1 })
        {
            // A rank that fails says why and ends the job at once, instead of leaving the others waiting in a collective.
            Console.Error.WriteLine($"{CliErrors.Line(e)} (rank {ranks.Rank}; stopping the job)");
            MpiCommunicator.Abort(CliErrors.RuntimeFailure);
            throw;
        }

        int Body()
        {
            if (ranks is { Rank: > 0 }) return RunQuietRank(parse, config, splits, ranks, shards);
            using var libTorch = new LibTorchPreload();   // loads while the dataset is read
            using var warmUp = new StartupWarmUp(after: libTorch.Loading);   // then, on that thread: the first check's record, the model, the result and the plot start warm
            DataRoots roots = DataRootSearch.Resolve(parse.GetValue(DataRootOption));
            bool json = parse.GetValue(JsonOption);
            var reporter = new TrainReporter(json);

            DatasetDownloader? downloader = parse.GetValue(NoDownload) ? null : Downloads.Create();
            GraphDataset data = shards is not null ? ShardFolder.ReadLabels(shards) : new DatasetLoader(roots, downloader, reporter.DownloadProgress()).Load(config.Dataset);
            data = WithSplitFile(parse, data, config, splits);
            StartupClock.Mark(StartupClock.DataLoaded);
            if (ranks is not { Size: > 1 }) TrainingMemory.Check(data, config);   // its estimate is of one process holding the whole graph
            libTorch.Wait();
            ForwardGnn.Engine.ComputeThreads.Set(config.Threads);
            StartupPages.Release();
            StartupClock.Mark(StartupClock.LibTorchReady);
            var experiment = new Experiment(data, roots, config, torch.CPU);

            string outDir = OutDir(parse, data, config);
            string? saveDir = parse.GetValue(Save);
            // A child of reproduce may find the run's folder still held by the child of a matrix just killed, which exits
            // as soon as it sees its parent gone: it waits for it rather than failing the run.
            TimeSpan wait = parse.GetValue(WithParent) ? TimeSpan.FromSeconds(60) : TimeSpan.Zero;
            using RunFolderLock folderLock = RunFolder.Open(outDir, RunFolderKind.Train, parse.GetValue(Overwrite), "--out", wait);
            using RunFolderLock? saveLock = saveDir is null || SameFolder(saveDir, outDir) ? null
                : RunFolder.Open(saveDir, RunFolderKind.Model, parse.GetValue(Overwrite), "--save");
            if (ranks is null && parse.GetValue(Resume) && RunOutput.Finished(outDir, config, splits) is { } finishedRun)
            {
                // Nothing to train: report what the folder holds and change nothing in it.
                if (saveDir is not null) ModelFolder.Copy(outDir, saveDir, splits);
                reporter.Summarise(finishedRun, outDir);
                return 0;
            }
            using var output = RunOutput.Create(outDir, config, splits, parse.GetValue(Resume));
            bool bench = parse.GetValue(Bench);
            var timings = new List<StepTimings>();
            List<RunResult> runs = reporter.Run(config, splits, (split, progress) =>
            {
                StepTimings? timing = bench ? new StepTimings() : null;
                if (timing is not null) timings.Add(timing);
                RunResult? finished = output.Checkpoints.TryLoadRun(split);
                if (ranks is not null) SplitFinished(ranks, finished is not null);   // the other ranks skip it too
                if (finished is not null) return finished;
                RunResult run = experiment.RunSplit(split, record =>
                {
                    HugeHeap.EndOfStartup();   // the first check: the run is under way, and its heap from here on stays on 4 KiB pages
                    output.Append(record);
                    progress(record);
                }, ranks is null ? output.Checkpoints : new RankCheckpoints(output.Checkpoints, ranks), timings: timing, keepModel: true, ranks: ranks,
                    shardFile: shards is null ? null : ShardFolder.ShardFile(shards, split, 0), traceTest: traceTest);
                SaveModel(run, outDir, saveDir, oneSplit: splits.Length == 1);
                return output.Checkpoints.SaveRun(run with { Model = null });
            });
            double peakRss = Summary.PeakRssMiB();
            TrainResult result = TrainResult.From(config, splits, experiment.MetricName, runs, peakRss) with
            {
                Bench = bench ? BenchResult.From(timings, peakRss) : null,
                Traffic = ranks is null ? null : Traffic.Total(ranks),
                RankPeakRssMiB = ranks is null ? null : Traffic.RankPeaks(ranks),
            };
            output.Complete(result);
            if (File.ReadLines(Path.Combine(outDir, "metrics.jsonl")).Any()) CurvePlot.Write(outDir, null, null);
            reporter.Summarise(result, outDir);
            return 0;
        }
    }

    /// <summary>
    /// Distributed training runs SF (layer-wise) and BP (the baseline) on GCN node classification, and FL-CE on GCN link
    /// prediction, in this build.
    /// </summary>
    private static void CheckDistributable(ParseResult parse, TrainConfig config)
    {
        bool node = config.Algo is "sf" or "bp" && config.Task == TaskKind.Node, link = config.Algo == "fl-ce" && config.Task == TaskKind.Link;
        if (!(node || link) || config.Gnn != GnnKind.Gcn)
            throw new UsageException("distributed training supports --algo sf or bp (node classification) or fl-ce (link prediction) with --gnn gcn in this build");
    }

    /// <summary>The test metric is traced by the algorithms that measure it at their checks, in one process.</summary>
    private static void CheckTraceable(TrainConfig config, bool distributed)
    {
        if (distributed) throw new UsageException("--trace-test is for runs in one process");
        if (!LearningAlgorithms.Find(config.Algo).TracesTest(config.Task))
            throw new UsageException($"--trace-test is recorded by {string.Join(", ", LearningAlgorithms.All.Where(a => a.TracesTest(config.Task)).Select(a => a.Name))} " +
                $"for the {config.Task.ToString().ToLowerInvariant()} task, not by {config.Algo}");
    }

    /// <summary>A rank other than 0: trains its part of every split alike and writes nothing; rank 0 reports.</summary>
    private static int RunQuietRank(ParseResult parse, TrainConfig config, int[] splits, ICommunicator ranks, string? shards)
    {
        DataRoots roots = DataRootSearch.Resolve(parse.GetValue(DataRootOption));
        GraphDataset data = WithSplitFile(parse, shards is not null ? ShardFolder.ReadLabels(shards) : new DatasetLoader(roots).Load(config.Dataset), config, splits);
        ForwardGnn.Engine.ComputeThreads.Set(config.Threads);
        var experiment = new Experiment(data, roots, config, torch.CPU);
        foreach (int split in splits)
        {
            if (SplitFinished(ranks, false)) continue;   // rank 0 found it finished (--resume)
            experiment.RunSplit(split, checkpoints: new RankCheckpoints(null, ranks), ranks: ranks,
                shardFile: shards is null ? null : ShardFolder.ShardFile(shards, split, ranks.Rank));
        }
        Traffic.Total(ranks);       // the collectives rank 0 reports
        Traffic.RankPeaks(ranks);
        return 0;
    }

    /// <summary>
    /// The preparation step of a distributed SF or BP run (<c>--ranks</c> runs it first, as its own process): partitions every
    /// split once and writes each rank's shard into the run folder's partition cache (<see cref="ShardFolder"/>), says
    /// what it wrote and its own peak memory on stderr, and prints the cache folder on stdout.
    /// </summary>
    private static int PrepareShardsFor(ParseResult parse, TrainConfig config, int[] splits, int parts)
    {
        if (config.Algo is not ("sf" or "bp") || config.Task != TaskKind.Node) throw new UsageException("--prepare-shards is for distributed sf or bp runs");
        if (parts is < 1 or > 256) throw new UsageException("--prepare-shards must be 1..256");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        DataRoots roots = DataRootSearch.Resolve(parse.GetValue(DataRootOption));
        DatasetDownloader? downloader = parse.GetValue(NoDownload) ? null : Downloads.Create();
        GraphDataset data = WithSplitFile(parse, new DatasetLoader(roots, downloader).Load(config.Dataset), config, splits);
        string outDir = OutDir(parse, data, config);
        string folder = ShardFolder.For(outDir, parts);
        int written;
        using (RunFolder.Open(outDir, RunFolderKind.Train, parse.GetValue(Overwrite), "--out"))
            written = ShardFolder.Prepare(folder, data, splits.Select(s => OfficialSplits.Load(roots, data, s)).ToList(), parts, config.Algo);
        Console.Error.WriteLine($"forwardgnn: partition cache {folder}: {written} of {splits.Length * parts} shards written " +
            $"({clock.Elapsed.TotalSeconds:0.0} s, this step's peak RSS {Summary.PeakRssMiB():0} MiB)");
        Console.WriteLine(folder);
        return 0;
    }

    private static string OutDir(ParseResult parse, GraphDataset data, TrainConfig config) => parse.GetValue(Out) ?? Path.Combine("runs",
        $"{data.Name}-{config.Task.ToString().ToLowerInvariant()}-{config.Algo}-{config.Gnn.ToString().ToLowerInvariant()}-L{config.Layers}");

    /// <summary>Whether rank 0 found a split finished (<paramref name="mine"/> on rank 0), on every rank: one broadcast.</summary>
    private static bool SplitFinished(ICommunicator ranks, bool mine)
    {
        using torch.Tensor flag = torch.tensor(new[] { mine ? 1f : 0f });
        ranks.Broadcast(flag, 0, "checkpoint");
        return flag.item<float>() != 0;
    }

    /// <summary>Saves (then releases) the run's model into the run folder and, if asked, a folder of the user's.</summary>
    private static void SaveModel(RunResult run, string outDir, string? saveDir, bool oneSplit)
    {
        using GnnModel? model = run.Model;
        if (model is null) return;
        model.Save(ModelFolder.For(outDir, run.Split, oneSplit));
        if (saveDir is not null) model.Save(ModelFolder.For(saveDir, run.Split, oneSplit));
    }

    private static bool SameFolder(string a, string b) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(b));

    /// <summary>Defaults, then the YAML file, then the flags given on the command line; the splits to run beside.</summary>
    private static (TrainConfig Config, int[] Splits) Resolve(ParseResult parse)
    {
        TrainConfig config = new();
        int[] splits = [0];
        if (parse.GetValue(Config) is { } file)
        {
            TrainSettings fromFile = TrainSettings.Load(file);
            config = fromFile.ApplyTo(config);
            splits = fromFile.SplitsOr(splits);
        }
        if (parse.GetValue(Split) is not null && parse.GetValue(Splits) is not null)
            throw new UsageException("give --split or --splits, not both");
        var flags = new TrainSettings
        {
            Dataset = parse.GetValue(Dataset), Task = parse.GetValue(Task), Gnn = parse.GetValue(Gnn), Algo = parse.GetValue(Algo),
            Layers = parse.GetValue(Layers), Splits = parse.GetValue(Splits) ?? parse.GetValue(Split)?.ToString(),
            Epochs = parse.GetValue(Epochs), Patience = parse.GetValue(Patience), ValEvery = parse.GetValue(ValEvery),
            Lr = parse.GetValue(Lr), WeightDecay = parse.GetValue(WeightDecay), Hidden = parse.GetValue(Hidden),
            Dropout = parse.GetValue(Dropout), Seed = parse.GetValue(Seed), Threads = parse.GetValue(Threads), OnNan = parse.GetValue(OnNan),
            Temperature = parse.GetValue(Temperature), FfTheta = parse.GetValue(FfTheta), TestTimeSteps = parse.GetValue(TestTimeSteps),
            GradMaxNorm = parse.GetValue(GradMaxNorm), DfaAlpha = parse.GetValue(DfaAlpha), DfaSteps = parse.GetValue(DfaSteps),
            DfaThreshold = parse.GetValue(DfaThreshold), DfaSoftmax = parse.GetValue(DfaSoftmax) ? true : null,
        };
        config = flags.ApplyTo(config);
        config = config with { Dataset = DatasetLoader.CanonicalName(config.Dataset) };
        splits = flags.SplitsOr(splits);
        config.Validate();
        PaperProtocol.CheckSplits(splits);
        return (config, splits);
    }

    /// <summary>The dataset with the <c>--split-file</c> split as its fixed split, if given; refuses split numbers it does not have.</summary>
    private static GraphDataset WithSplitFile(ParseResult parse, GraphDataset data, TrainConfig config, int[] splits)
    {
        if (parse.GetValue(SplitFile) is { } file)
        {
            if (config.Task != TaskKind.Node) throw new UsageException("--split-file is a node split; it applies to --task node only");
            data = data with { PublicSplit = NodeSplitFile.Read(file, data.NumNodes) };
        }
        if (config.Task == TaskKind.Node) NodeSplits.CheckAvailable(data, splits);
        return data;
    }
}
