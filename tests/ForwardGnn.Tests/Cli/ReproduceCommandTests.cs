using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli;

public class ReproduceCommandTests
{
    private static string[] Matrix(string outDir) =>
    [
        "reproduce", "--datasets", "cora_ml", "--tasks", "node", "--gnns", "gcn", "--algos", "bp,sf", "--layers", "1-2",
        "--splits", "0-1", "--epochs", "4", "--threads", "1", "--out", outDir, "--data-root", SharedData.Root, "--no-download",
    ];

    private static string[] Results(string outDir) =>
        Directory.Exists(outDir) ? Directory.GetFiles(outDir, "result.json", SearchOption.AllDirectories).Order().ToArray() : [];

    [Fact]
    public void KilledMatrixResumesWithoutRedoingFinishedRunsOrLeavingCorruptFiles()
    {
        using var dir = new TempDir();
        string outDir = dir["matrix"];

        // Six runs (bp L1, bp L2, sf L2 × splits 0-1); SIGKILL the matrix once two have finished.
        using (Process matrix = CliRunner.Start(Matrix(outDir)))
        {
            _ = matrix.StandardOutput.ReadToEndAsync();
            _ = matrix.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (Results(outDir).Length < 2 && !matrix.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(100);
            Assert.False(matrix.HasExited, "the matrix finished before it could be killed");
            matrix.Kill();   // SIGKILL, the parent only: its children must notice and stop by themselves
            matrix.WaitForExit();
        }
        Thread.Sleep(3000);
        Dictionary<string, (DateTime, string)> finished = Results(outDir).ToDictionary(f => f, f => (File.GetLastWriteTimeUtc(f), File.ReadAllText(f)));
        Assert.InRange(finished.Count, 2, 5);
        Thread.Sleep(3000);
        Assert.Equal(finished.Keys, Results(outDir));   // no orphaned child went on to write a result

        CliRunner.Result rerun = CliRunner.Run(Matrix(outDir));
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.Contains($"{finished.Count} already complete, {6 - finished.Count} to run", rerun.Stderr);
        Assert.Equal(6, Results(outDir).Length);
        foreach ((string file, (DateTime time, string text)) in finished)
            Assert.Equal((time, text), (File.GetLastWriteTimeUtc(file), File.ReadAllText(file)));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp", SearchOption.AllDirectories));

        // The summary agrees with the run files: BP at L=1 is the mean of its two splits.
        double[] bpL1 = Results(outDir).Where(f => f.Contains("-bp-gcn-L1")).Select(f =>
            JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("test").GetDouble()).ToArray();
        string[] row = File.ReadAllLines(Path.Combine(outDir, "summary.csv")).Single(l => l.StartsWith("node,CitationFull-Cora_ML,BP-GCN,bp,gcn,1,")).Split(',');
        Assert.Equal(bpL1.Average(), double.Parse(row[7], CultureInfo.InvariantCulture), 3);
        Assert.Equal("2", row[9]);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(outDir, "summary.csv")).Length);   // header, BP L1-2, SF L1-2
        string md = File.ReadAllText(Path.Combine(outDir, "summary.md"));
        Assert.Contains("| SF-GCN |", md);
        Assert.Contains("paper 87.95 ± 1.4", md);   // SF-GCN L2 on Cora_ML, Table 5
        foreach (string png in new[] { "metric", "memory" })
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(outDir, "plots", $"node-CitationFull-Cora_ML-{png}.png"))[..4]);

        CliRunner.Result dry = CliRunner.Run([.. Matrix(outDir), "--dry-run"]);
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("6 runs: 6 complete, 0 to run", dry.Stdout);

        // --results records the matrix (once, however often it is rerun) and renders the current page from it.
        string book = dir["results"];
        for (int i = 0; i < 2; i++)
        {
            CliRunner.Result recorded = CliRunner.Run([.. Matrix(outDir), "--results", book]);
            Assert.True(recorded.ExitCode == 0, recorded.Stderr);
            Assert.Contains("6 runs recorded as matrix", recorded.Stdout);
        }
        Assert.Equal(6, File.ReadAllLines(Path.Combine(book, "raw", "matrix.jsonl")).Length);
        Assert.Single(File.ReadAllLines(Path.Combine(book, "sources.txt")));
        string page = File.ReadAllText(Path.Combine(book, "README.md"));
        Assert.Contains("**4 cells:**", page);
        Assert.Matches(@"\| SF-GCN \| .* \[1\] \| .* \[1\] \|", page);
        CliRunner.Result render = CliRunner.Run("reproduce", "--results", book, "--render-only");
        Assert.True(render.ExitCode == 0, render.Stderr);
        Assert.Equal(page, File.ReadAllText(Path.Combine(book, "README.md")));
    }

    [Fact]
    public void PlotDrawsTheCurvesOfARunAndNamesAFolderWithoutMetrics()
    {
        using var dir = new TempDir();
        CliRunner.Result train = CliRunner.Run("train", "--algo", "sf", "--layers", "2", "--epochs", "6", "--threads", "1",
            "--data-root", SharedData.Root, "--out", dir["run"], "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);

        CliRunner.Result plot = CliRunner.Run("plot", dir["run"]);
        Assert.True(plot.ExitCode == 0, plot.Stderr);
        Assert.Equal(Path.Combine(dir["run"], "curves.png"), plot.Stdout.Trim());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(dir["run/curves.png"])[..4]);

        CliRunner.Result bad = CliRunner.Run("plot", dir.Path);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("no metrics.jsonl", bad.Stderr);
    }

    [Theory]
    [InlineData("unknown algorithm 'nope'", "--algos", "nope")]
    [InlineData("--jobs must be at least 1", "--jobs", "0")]
    [InlineData("unknown task 'graph'", "--tasks", "graph")]
    [InlineData("splits must be in 0..4", "--splits", "3-5")]
    [InlineData("--render-only renders a --results folder", "--render-only")]
    [InlineData("--name 'a b' must be a plain file name", "--name", "a b", "--results", "x")]
    public void BadSelectionsGiveOneLineAndExitCodeTwo(string expected, params string[] args)
    {
        using var dir = new TempDir();
        CliRunner.Result r = CliRunner.Run(["reproduce", "--out", dir.Path, "--data-root", SharedData.Root, .. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
