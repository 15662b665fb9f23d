using System.Diagnostics;
using ForwardGnn.Cli.Commands;
using ForwardGnn.Cli.RunFolders;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli.RunFolders;

/// <summary>
/// Run folders never lose or mix data: one process at a time, only our own files touched, a finished run left as it
/// is by <c>--resume</c>, and a torn last metrics line dropped on resume and skipped by readers.
/// </summary>
public class RunFolderTests
{
    private const string Graph = "sbm:nodes=300,degree=5,features=16,classes=3,seed=1";

    private static string[] Train(string outDir, int epochs = 20, params string[] extra) =>
    [
        "train", "--dataset", Graph, "--algo", "sf", "--layers", "2", "--epochs", $"{epochs}", "--threads", "1", "--json",
        "--out", outDir, .. extra,
    ];

    [Fact]
    public async Task ProcessesStartedAtOnceOnOneFolderTrainOnceAndTheOthersAreRefused()
    {
        using var dir = new TempDir();
        // Long enough (a few seconds of training) that every process reaches the lock while the first still holds it.
        string[] settings = ["--patience", "-1"];
        var runs = Enumerable.Range(0, 3).Select(_ => CliRunner.Start(Train(dir["shared"], 700, settings))).ToList();
        var drained = runs.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToList();
        foreach (Process p in runs) Assert.True(p.WaitForExit(TimeSpan.FromMinutes(5)));
        string[] errors = await Task.WhenAll(drained.Select(d => d.Err));
        await Task.WhenAll(drained.Select(d => d.Out));
        int[] codes = runs.Select(p => p.ExitCode).ToArray();
        string log = string.Join("\n", errors.Select((e, i) => $"exit {codes[i]}: {e}"));
        Assert.True(codes.Count(c => c == 0) == 1 && codes.Count(c => c == 2) == 2, log);
        int winner = Array.IndexOf(codes, 0);
        foreach (int i in Enumerable.Range(0, 3).Where(i => i != winner))
            Assert.Contains($"in use by another forwardgnn process (pid {runs[winner].Id})", errors[i]);

        CliRunner.Result lone = CliRunner.Run(Train(dir["lone"], 700, settings));
        Assert.True(lone.ExitCode == 0, lone.Stderr);
        Assert.Equal(TrainResumeTests.WithoutTiming(File.ReadAllText(dir["lone/result.json"])),
            TrainResumeTests.WithoutTiming(File.ReadAllText(dir["shared/result.json"])));
        Assert.Equal(File.ReadAllLines(dir["lone/metrics.jsonl"]).Length, File.ReadAllLines(dir["shared/metrics.jsonl"]).Length);
    }

    [Fact]
    public void AFolderHeldByAnotherLockIsRefusedUntilReleased()
    {
        using var dir = new TempDir();
        using (RunFolderLock held = RunFolderLock.Acquire(dir["run"], "this run folder"))
        {
            var refused = Assert.Throws<UsageException>(() => RunFolderLock.Acquire(dir["run"], "this run folder"));
            Assert.Contains($"pid {Environment.ProcessId}", refused.Message);
        }
        RunFolderLock.Acquire(dir["run"], "this run folder").Dispose();
    }

    /// <summary>What a child of reproduce does: it waits for the child of a killed matrix to let the folder go.</summary>
    [Fact]
    public async Task AWaitingAcquireGetsTheFolderOnceItIsLetGo()
    {
        using var dir = new TempDir();
        RunFolderLock first = RunFolderLock.Acquire(dir["run"], "this run folder");
        Task release = Task.Delay(600).ContinueWith(_ => first.Dispose());
        var clock = Stopwatch.StartNew();
        using (RunFolderLock second = RunFolderLock.Acquire(dir["run"], "this run folder", TimeSpan.FromSeconds(30)))
            Assert.InRange(clock.Elapsed.TotalMilliseconds, 500, 30_000);
        await release;
    }

    [Fact]
    public void AForeignFolderIsRefusedAndOverwriteTouchesOnlyOurFiles()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["run/checkpoints/sub"]);
        File.WriteAllText(dir["run/checkpoints/sub/model.pt"], "the user's");
        File.WriteAllText(dir["run/checkpoints/split0.json"], "{}");   // a name of ours, in a folder that is not ours
        File.WriteAllText(dir["run/notes.txt"], "the user's notes");

        CliRunner.Result refused = CliRunner.Run(Train(dir["run"]));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("is not empty and not a forwardgnn train run folder", refused.Stderr);
        Assert.Contains("--overwrite", refused.Stderr);
        Assert.Equal("{}", File.ReadAllText(dir["run/checkpoints/split0.json"]));
        Assert.False(File.Exists(dir["run/config.yaml"]));

        CliRunner.Result written = CliRunner.Run(Train(dir["run"], 20, "--overwrite"));
        Assert.True(written.ExitCode == 0, written.Stderr);
        Assert.Equal("the user's", File.ReadAllText(dir["run/checkpoints/sub/model.pt"]));
        Assert.Equal("the user's notes", File.ReadAllText(dir["run/notes.txt"]));
        Assert.False(File.Exists(dir["run/checkpoints/split0.json"]));   // ours: cleared with the finished run's checkpoints
        Assert.True(File.Exists(dir["run/result.json"]));

        CliRunner.Result again = CliRunner.Run(Train(dir["run"]));       // now a marked run folder: no --overwrite needed
        Assert.True(again.ExitCode == 0, again.Stderr);
    }

    [Fact]
    public void SaveFolderOfSomeoneElseIsRefusedBeforeTraining()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["mine"]);
        File.WriteAllText(dir["mine/data.csv"], "1,2\n");
        CliRunner.Result r = CliRunner.Run(Train(dir["run"], 20, "--save", dir["mine"]));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--save", r.Stderr);
        Assert.False(File.Exists(dir["run/result.json"]));
        Assert.Equal(["data.csv"], Directory.GetFileSystemEntries(dir["mine"]).Select(Path.GetFileName));
    }

    [Fact]
    public void ResumeOfAFinishedRunReportsItsResultAndChangesNothing()
    {
        using var dir = new TempDir();
        CliRunner.Result first = CliRunner.Run(Train(dir["run"]));
        Assert.True(first.ExitCode == 0, first.Stderr);
        var before = Directory.GetFiles(dir["run"], "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);   // hidden ones too
        var times = before.Keys.ToDictionary(f => f, File.GetLastWriteTimeUtc);

        CliRunner.Result resumed = CliRunner.Run(Train(dir["run"], 20, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], resumed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(dir["run"], "*", SearchOption.AllDirectories).Order());
        foreach ((string file, byte[] bytes) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(file));
            Assert.Equal(times[file], File.GetLastWriteTimeUtc(file));
        }
        Assert.DoesNotContain("split 0: training", resumed.Stderr);
    }

    [Fact]
    public void TornLastMetricsLineIsDroppedOnResumeAndSkippedByPlot()
    {
        using var dir = new TempDir();
        CliRunner.Result first = CliRunner.Run(Train(dir["run"]));
        Assert.True(first.ExitCode == 0, first.Stderr);
        string[] complete = File.ReadAllLines(dir["run/metrics.jsonl"]);
        File.AppendAllText(dir["run/metrics.jsonl"], "{\"split\":0,\"epoch\":7,\"lay");   // a write cut short

        CliRunner.Result plot = CliRunner.Run("plot", dir["run"]);
        Assert.True(plot.ExitCode == 0, plot.Stderr);
        Assert.Contains($"warning: {dir["run/metrics.jsonl"]}: line {complete.Length + 1} is incomplete", plot.Stderr);

        // A resumed (unfinished) run appends whole lines after the cut.
        File.Delete(dir["run/result.json"]);
        CliRunner.Result resumed = CliRunner.Run(Train(dir["run"], 20, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        string[] after = File.ReadAllLines(dir["run/metrics.jsonl"]);
        Assert.Equal(complete, after[..complete.Length]);
        Assert.All(after, l => Assert.StartsWith("{\"split\":0,", l));
        Assert.All(after, l => System.Text.Json.JsonDocument.Parse(l).Dispose());
    }

    [Fact]
    public void DropTornTailCutsOnlyAnUnterminatedLine()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["m.jsonl"], "{\"a\":1}\n{\"a\":2}\n");
        Assert.False(JsonLinesFile.DropTornTail(dir["m.jsonl"]));
        File.AppendAllText(dir["m.jsonl"], "{\"a\":");
        Assert.True(JsonLinesFile.DropTornTail(dir["m.jsonl"]));
        Assert.Equal("{\"a\":1}\n{\"a\":2}\n", File.ReadAllText(dir["m.jsonl"]));
        File.WriteAllText(dir["m.jsonl"], "{\"a\":");
        Assert.True(JsonLinesFile.DropTornTail(dir["m.jsonl"]));
        Assert.Equal("", File.ReadAllText(dir["m.jsonl"]));
    }

    [Fact]
    public void ASecondMatrixOnTheSameFolderIsRefused()
    {
        using var dir = new TempDir();
        using RunFolderLock held = RunFolderLock.Acquire(dir["matrix"], "this reproduce matrix folder");
        CliRunner.Result r = CliRunner.Run("reproduce", "--datasets", "cora_ml", "--tasks", "node", "--gnns", "gcn", "--algos", "bp",
            "--layers", "1", "--splits", "0", "--epochs", "2", "--threads", "1", "--out", dir["matrix"], "--data-root", SharedData.Root, "--no-download");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"in use by another forwardgnn process (pid {Environment.ProcessId})", r.Stderr);
        Assert.False(Directory.Exists(dir["matrix/runs"]));
    }

    [Fact]
    public void AMatrixRefusesAFolderThatIsNotOne()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["mine/sub"]);
        File.WriteAllText(dir["mine/sub/data.csv"], "1,2\n");
        CliRunner.Result r = CliRunner.Run("reproduce", "--datasets", "cora_ml", "--tasks", "node", "--gnns", "gcn", "--algos", "bp",
            "--layers", "1", "--splits", "0", "--epochs", "2", "--threads", "1", "--out", dir["mine"], "--data-root", SharedData.Root, "--no-download");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("not a forwardgnn reproduce matrix folder", r.Stderr);
        Assert.Equal(["sub"], Directory.GetFileSystemEntries(dir["mine"]).Select(Path.GetFileName));
    }
}
