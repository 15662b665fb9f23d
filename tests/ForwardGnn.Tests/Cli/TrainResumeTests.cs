using System.Diagnostics;
using System.Text.Json.Nodes;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli;

public class TrainResumeTests
{
    private static readonly string[] Timing = ["trainSeconds", "peakRssMiB", "finishedUtc"];

    /// <summary>result.json without its timing fields (train seconds, peak memory and the finishing time, at every level).</summary>
    internal static string WithoutTiming(string resultJson)
    {
        static void Strip(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                foreach (string key in Timing) o.Remove(key);
                foreach (var child in o.ToList()) Strip(child.Value);
            }
            else if (node is JsonArray a)
                foreach (JsonNode? child in a) Strip(child);
        }
        JsonNode root = JsonNode.Parse(resultJson)!;
        Strip(root);
        return root.ToJsonString();
    }

    private static string[] Train(string outDir, params string[] extra) =>
    [
        "train", "--algo", "sf", "--gnn", "gcn", "--layers", "3", "--splits", "0-1", "--epochs", "30", "--seed", "1",
        "--threads", "1", "--json", "--data-root", SharedData.Root, "--out", outDir, .. extra,
    ];

    [Fact]
    public void IdenticalRunsWriteIdenticalResultsApartFromTiming()
    {
        using var dir = new TempDir();
        foreach (string run in new[] { "a", "b" })
        {
            CliRunner.Result r = CliRunner.Run(Train(dir[run]));
            Assert.True(r.ExitCode == 0, r.Stderr);
        }
        string a = File.ReadAllText(dir["a/result.json"]), b = File.ReadAllText(dir["b/result.json"]);
        Assert.Equal(WithoutTiming(a), WithoutTiming(b));
        Assert.NotEqual(WithoutTiming(a), a);   // the timing fields were there to strip
    }

    [Fact]
    public void RunKilledAtRandomPointsResumesToTheUninterruptedResult()
    {
        using var dir = new TempDir();
        var clock = Stopwatch.StartNew();
        CliRunner.Result reference = CliRunner.Run(Train(dir["reference"]));
        Assert.True(reference.ExitCode == 0, reference.Stderr);
        double referenceMs = clock.Elapsed.TotalMilliseconds;

        var random = new Random(20261127);
        int kills = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            using Process run = CliRunner.Start(Train(dir["resumed"], "--resume"));
            _ = run.StandardOutput.ReadToEndAsync();
            _ = run.StandardError.ReadToEndAsync();
            // Somewhere in the first half of the uninterrupted run's time, wherever that falls: a run can be twice as
            // fast as the reference when the reference shared the cores with other tests.
            if (run.WaitForExit(TimeSpan.FromMilliseconds(referenceMs * (0.1 + 0.4 * random.NextDouble())))) break;
            run.Kill();   // SIGKILL
            run.WaitForExit();
            kills++;
            Assert.False(File.Exists(dir["resumed/result.json"]));
        }
        Assert.True(kills > 0, "the run finished before any kill");
        CliRunner.Result final = CliRunner.Run(Train(dir["resumed"], "--resume"));
        Assert.True(final.ExitCode == 0, final.Stderr);

        Assert.Equal(WithoutTiming(File.ReadAllText(dir["reference/result.json"])), WithoutTiming(File.ReadAllText(dir["resumed/result.json"])));
        Assert.False(Directory.Exists(dir["resumed/checkpoints"]));
    }

    [Fact]
    public void ResumeRefusesAFolderTrainedWithOtherSettings()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["config.yaml"], "dataset: CitationFull-CiteSeer\n");
        CliRunner.Result r = CliRunner.Run(Train(dir.Path, "--resume"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("used other settings", r.Stderr);
    }

    [Fact]
    public void NanLossStopsWithOneLineExitCodeOneAndNoResult()
    {
        using var dir = new TempDir();
        CliRunner.Result r = CliRunner.Run("train", "--algo", "sf", "--lr", "1e30", "--epochs", "10", "--threads", "1",
            "--data-root", SharedData.Root, "--out", dir.Path);
        Assert.Equal(1, r.ExitCode);
        string line = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("forwardgnn: error: non-finite loss at layer 1, epoch", line);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.False(File.Exists(dir["result.json"]));

        CliRunner.Result verbose = CliRunner.Run("train", "--algo", "sf", "--lr", "1e30", "--epochs", "10", "--threads", "1",
            "--data-root", SharedData.Root, "--out", dir.Path, "--verbose");
        Assert.Equal(1, verbose.ExitCode);
        Assert.Contains("   at ForwardGnn.", verbose.Stderr);                // the stack trace, only when asked for
    }
}
