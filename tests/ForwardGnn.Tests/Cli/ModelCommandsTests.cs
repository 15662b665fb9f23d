using System.Globalization;
using System.Text.Json;
using ForwardGnn.Data;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli;

/// <summary><c>train</c> leaves a model in its folder; <c>predict</c>, <c>score</c> and <c>embed</c> read it as a user would.</summary>
public class ModelCommandsTests
{
    private static CliRunner.Result Cli(params string[] args) => CliRunner.Run([.. args, "--data-root", SharedData.Root]);

    private static double ResultTest(string run)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "result.json")));
        return doc.RootElement.GetProperty("test").GetDouble();
    }

    [Fact]
    public void PredictedTestAccuracyEqualsTheRunsResult()
    {
        using var dir = new TempDir();
        CliRunner.Result r = Cli("train", "--dataset", "cora_ml", "--algo", "sf", "--layers", "2", "--split", "0", "--epochs", "8",
            "--threads", "1", "--out", dir["run"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(dir["run/curves.png"]));
        r = Cli("predict", "--model", dir["run"], "--dataset", "cora_ml", "--nodes", "test", "--out", dir["p.csv"]);
        Assert.True(r.ExitCode == 0, r.Stderr);

        int[] labels = SharedData.Load("cora_ml").Labels;
        string[] lines = File.ReadAllLines(dir["p.csv"]);
        Assert.Equal("node,predicted,score_0,score_1,score_2,score_3,score_4,score_5,score_6", lines[0]);
        int correct = lines.Skip(1).Count(l => l.Split(',') is var f && int.Parse(f[1], CultureInfo.InvariantCulture) == labels[int.Parse(f[0], CultureInfo.InvariantCulture)]);
        Assert.Equal(599, lines.Length - 1);
        Assert.Equal(ResultTest(dir["run"]), 100.0 * correct / (lines.Length - 1));

        r = Cli("embed", "--model", dir["run"], "--layer", "1", "--out", dir["e.npy"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal([2995L, 128L], ForwardGnn.Data.Npy.NpyReader.Parse(File.ReadAllBytes(dir["e.npy"]), dir["e.npy"]).Shape);
    }

    [Fact]
    public void ScoredTestPairsGiveTheRunsRocAuc()
    {
        using var dir = new TempDir();
        CliRunner.Result r = Cli("train", "--dataset", "cora_ml", "--task", "link", "--algo", "fl-ce", "--layers", "2", "--split", "0",
            "--epochs", "6", "--threads", "1", "--out", dir["run"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        r = Cli("score", "--model", dir["run"], "--pairs", "test", "--out", dir["s.csv"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        string[][] rows = File.ReadAllLines(dir["s.csv"]).Skip(1).Select(l => l.Split(',')).ToArray();
        float[] scores = rows.Select(f => float.Parse(f[2], CultureInfo.InvariantCulture)).ToArray();
        float[] labels = rows.Select(f => float.Parse(f[3], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(ResultTest(dir["run"]), ForwardGnn.Training.Metrics.RocAuc(scores, labels));

        File.WriteAllLines(dir["pairs.csv"], ["u,v", "0,1", "5,7"]);
        r = Cli("score", "--model", dir["run"], "--pairs", dir["pairs.csv"], "--out", dir["own.csv"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(3, File.ReadAllLines(dir["own.csv"]).Length);
    }

    [Fact]
    public void BadModelInputsAreOneLineAndExitTwo()
    {
        using var dir = new TempDir();
        CliRunner.Result r = Cli("train", "--dataset", "cora_ml", "--algo", "bp", "--layers", "1", "--split", "0", "--epochs", "2",
            "--threads", "1", "--out", dir["run"]);
        Assert.True(r.ExitCode == 0, r.Stderr);

        r = Cli("predict", "--model", dir["run"], "--dataset", "citeseer", "--out", dir["p.csv"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("features per node; the model takes 2879", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(dir["p.csv"]));

        r = Cli("predict", "--model", dir.Path, "--out", dir["p.csv"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("model.json", r.Stderr);

        r = Cli("score", "--model", dir["run"], "--pairs", "test", "--out", dir["s.csv"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("does not score links", r.Stderr);
    }
}
