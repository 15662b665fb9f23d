using System.Diagnostics;
using ForwardGnn.Cli.Protocol;
using ForwardGnn.Cli;
using ForwardGnn.Cli.Commands;
using ForwardGnn.Cli.RunFolders;
using ForwardGnn.Data;
using ForwardGnn.Data.Formats;
using ForwardGnn.Data.Npy;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Fuzz;

/// <summary>
/// Runs seeded, structure-aware mutations of every input format through the code that reads it, in this process
/// (which the test starts under a memory cap). Case i of a seed is always the same input, so a failure is reproduced by
/// its number. A case may succeed or end in the format's own input error; any other exception is a failure, and a
/// case that runs for more than <see cref="HangAfter"/> ends the process as a hang.
/// </summary>
internal sealed class StructuredFuzz(string scratch, int seed, TextWriter log)
{
    public static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(60);   // generous: a loaded machine slows every case

    private enum Family { Npy, Graph2GaussNpz, GitHubNpz, Musae, Checkpoint, RunFolder }

    // One in ten cases per slot: npy 3, graph2gauss npz 2, github npz 1, MUSAE 2, checkpoint 1, run folder 1.
    private static readonly Family[] Slots =
        [Family.Npy, Family.Graph2GaussNpz, Family.Musae, Family.Npy, Family.GitHubNpz, Family.Checkpoint, Family.Npy, Family.Graph2GaussNpz, Family.Musae, Family.RunFolder];

    private readonly NpzMutator _graph2Gauss = new(NpzMutator.Graph2Gauss);
    private readonly NpzMutator _gitHub = new(NpzMutator.GitHub);
    private long _caseStart = Stopwatch.GetTimestamp();
    private int _case = -1;

    /// <summary>Runs <paramref name="count"/> cases; returns the number of failures (each logged, the first 20 in full).</summary>
    public int Run(int count)
    {
        Directory.CreateDirectory(scratch);
        using var module = nn.Linear(16, 8);
        string parametersPath = Path.Combine(scratch, "clean.pt");
        module.save(parametersPath);
        byte[] cleanParameters = File.ReadAllBytes(parametersPath);
        File.WriteAllText(Path.Combine(scratch, "config.yaml"), RunFolderMutator.Config);
        TrainConfig config = TrainSettings.Load(Path.Combine(scratch, "config.yaml")).ApplyTo(new TrainConfig());

        new Thread(Watchdog) { IsBackground = true }.Start();
        var clock = Stopwatch.StartNew();
        var counts = new Dictionary<Family, int>();
        var seconds = new Dictionary<Family, double>();
        int failures = 0;
        for (int i = 0; i < count; i++)
        {
            Family family = Slots[i % Slots.Length];
            counts[family] = counts.GetValueOrDefault(family) + 1;
            Volatile.Write(ref _caseStart, Stopwatch.GetTimestamp());
            Volatile.Write(ref _case, i);
            var rng = new Random(HashCode.Combine(seed, i));
            long started = Stopwatch.GetTimestamp();
            try
            {
                RunCase(family, rng, module, cleanParameters, config);
            }
            catch (Exception e) when (e is DataFormatException or UsageException)
            {
                if (e.Message.Length > 400 || e.Message.Contains('\n')) Fail(ref failures, i, family, new InvalidOperationException("error not one short line: " + e.Message[..Math.Min(200, e.Message.Length)]));
            }
            catch (Exception e)
            {
                Fail(ref failures, i, family, e);
            }
            seconds[family] = seconds.GetValueOrDefault(family) + Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        log.WriteLine($"fuzz: {count} cases ({string.Join(", ", counts.Select(c => $"{c.Key} {c.Value} in {seconds[c.Key]:F1} s"))}) in {clock.Elapsed.TotalSeconds:F1} s, " +
            $"{failures} failures, peak RSS {ForwardGnn.Training.Summary.PeakRssMiB():F0} MiB");
        return failures;
    }

    private void Fail(ref int failures, int i, Family family, Exception e)
    {
        if (++failures <= 20) log.WriteLine($"fuzz: case {i} ({family}) failed: {e.GetType().Name}: {e.Message.Split('\n')[0]}\n{e.StackTrace}");
    }

    private void RunCase(Family family, Random rng, nn.Module module, byte[] cleanParameters, TrainConfig config)
    {
        switch (family)
        {
            case Family.Npy:
                NpyArray array = NpyReader.Parse(NpyMutator.Random(rng), "m.npy");
                if (array.DType.IsNumeric) { array.ToFloat32(); array.ToInt64(); array.ToInt32(); }
                break;
            case Family.Graph2GaussNpz:
                ReadGraph(new Graph2GaussNpzFormat("g.npz"), _graph2Gauss.Next(rng, scratch), "g.npz");
                break;
            case Family.GitHubNpz:
                ReadGraph(new GitHubNpzFormat(), _gitHub.Next(rng, scratch), "github.npz");
                break;
            case Family.Musae:
                string folder = Path.Combine(scratch, "musae");   // every case rewrites all three files
                Directory.CreateDirectory(folder);
                MusaeMutator.Write(folder, rng);
                Normalised(new MusaeGitHubFormat().Read("fuzz", Path.Combine(folder, "musae_git_edges.csv")));
                break;
            case Family.Checkpoint:
                string checkpoints = Path.Combine(scratch, "checkpoints");   // every case rewrites its three files
                Directory.CreateDirectory(checkpoints);
                CheckpointMutator.Mutate(checkpoints, cleanParameters, rng);
                var restored = new CheckpointFolder(checkpoints);
                restored.TryRestoreLayer(1, 1, module);
                restored.TryLoadRun(0);
                break;
            default:
                RunFolderCase(rng, config);
                break;
        }
    }

    private void ReadGraph(IDatasetFormat format, byte[] bytes, string name)
    {
        string path = Path.Combine(scratch, name);
        File.WriteAllBytes(path, bytes);
        Normalised(format.Read("fuzz", path));
    }

    private static void Normalised(GraphDataset data) => NormalizeFeatures.Apply(data.Check().Features, data.SourcePath);

    private void RunFolderCase(Random rng, TrainConfig config)
    {
        string folder = Fresh("run");
        RunFolderMutator.Write(folder, rng);
        JsonLinesFile.Read<ValidationRecord>(Path.Combine(folder, "metrics.jsonl"), _ => { });
        bool resume = rng.Next(2) == 0;
        using RunFolderLock held = RunFolder.Open(folder, RunFolderKind.Train, overwrite: rng.Next(4) == 0, "--out");
        if (resume && RunOutput.Finished(folder, config, [0]) is not null) return;
        using RunOutput output = RunOutput.Create(folder, config, [0], resume);
        output.Append(new ValidationRecord(0, 2, 1, 1.25, 50, 0.2));
        JsonLinesFile.Read<ValidationRecord>(Path.Combine(folder, "metrics.jsonl"), _ => { });
    }

    private string Fresh(string name)
    {
        string folder = Path.Combine(scratch, name);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private void Watchdog()
    {
        while (true)
        {
            Thread.Sleep(500);
            if (Stopwatch.GetElapsedTime(Volatile.Read(ref _caseStart)) > HangAfter)
            {
                log.WriteLine($"fuzz: case {Volatile.Read(ref _case)} hangs (over {HangAfter.TotalSeconds} s)");
                log.Flush();
                Environment.Exit(3);
            }
        }
    }
}
