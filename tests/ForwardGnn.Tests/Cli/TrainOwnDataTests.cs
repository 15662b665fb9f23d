using System.Text.Json;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli;

/// <summary><c>train</c> on a user's graph folder, on Planetoid, and with <c>--split-file</c>.</summary>
public class TrainOwnDataTests
{
    /// <summary>A 30-node ring, two classes alternating, one feature that says the class half the time.</summary>
    private static void WriteRing(TempDir dir)
    {
        Directory.CreateDirectory(dir["graph"]);
        File.WriteAllLines(dir["graph/edges.csv"], ["source,target", .. Enumerable.Range(0, 30).Select(i => $"{i},{(i + 1) % 30}")]);
        File.WriteAllLines(dir["graph/labels.csv"], Enumerable.Range(0, 30).Select(i => $"{i % 2}"));
        File.WriteAllLines(dir["graph/features.csv"], Enumerable.Range(0, 30).Select(i => i % 4 == 0 ? "1,0" : i % 4 == 1 ? "0,1" : "1,1"));
    }

    private static JsonElement LastJson(CliRunner.Result r)
    {
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void TrainsOnACsvFolderWithGeneratedOrFileSplits()
    {
        using var dir = new TempDir();
        WriteRing(dir);
        JsonElement o = LastJson(CliRunner.Run("train", "--dataset", dir["graph"], "--epochs", "4", "--json", "--threads", "1", "--out", dir["run"]));
        Assert.Equal(dir["graph"], o.GetProperty("dataset").GetString());
        Assert.Contains(dir["graph"], File.ReadAllText(dir["run/config.yaml"]));

        File.WriteAllLines(dir["split.csv"], ["node,part", "0,train", "1,train", "2,val", "3,val", "4,test", "5,test", "6,test"]);
        o = LastJson(CliRunner.Run("train", "--dataset", dir["graph"], "--split-file", dir["split.csv"], "--epochs", "4", "--json",
            "--threads", "1", "--out", dir["run2"]));
        double test = o.GetProperty("test").GetDouble();
        Assert.True(new[] { 0, 100 / 3.0, 200 / 3.0, 100 }.Any(v => Math.Abs(v - test) < 0.01), $"accuracy {test} is not over the file's 3 test nodes");
    }

    [Fact]
    public void BadOwnDataIsOneLineWithExitCodeTwo()
    {
        using var dir = new TempDir();
        WriteRing(dir);
        File.AppendAllLines(dir["graph/edges.csv"], ["3;4"]);
        CliRunner.Result r = CliRunner.Run("train", "--dataset", dir["graph"], "--epochs", "2", "--threads", "1", "--out", dir["run"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"forwardgnn: error: {dir["graph/edges.csv"]}: line 32: expected 'source,target', found 1 fields", r.Stderr.Trim());

        File.WriteAllLines(dir["graph/edges.csv"], ["0,1"]);
        File.WriteAllLines(dir["split.csv"], ["0,train", "1,train", "1,test"]);
        r = CliRunner.Run("train", "--dataset", dir["graph"], "--split-file", dir["split.csv"], "--epochs", "2", "--threads", "1", "--out", dir["run"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{dir["split.csv"]}: line 3: node 1 is listed twice", r.Stderr);
    }

    [Fact]
    public void RepeatsPlanetoidCorasPublicSplitWithOneSeedPerSplitNumber()
    {
        using var dir = new TempDir();
        JsonElement o = LastJson(CliRunner.Run("train", "--dataset", "planetoid-cora", "--splits", "0-1", "--epochs", "2", "--json",
            "--threads", "1", "--data-root", SharedData.Root, "--out", dir["run"]));
        Assert.Equal("Planetoid-Cora", o.GetProperty("dataset").GetString());
        JsonElement[] runs = o.GetProperty("perRun").EnumerateArray().ToArray();
        Assert.Equal([0, 1], runs.Select(r => r.GetProperty("split").GetInt32()));
        Assert.NotEqual(runs[0].GetProperty("seed").GetInt64(), runs[1].GetProperty("seed").GetInt64());
        Assert.All(runs, r => Assert.InRange(r.GetProperty("test").GetDouble(), 0, 100));

        CliRunner.Result bad = CliRunner.Run("train", "--dataset", "planetoid-cora", "--split", "5", "--epochs", "2", "--threads", "1",
            "--data-root", SharedData.Root, "--out", dir["run2"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("0..4", bad.Stderr);
        Assert.False(Directory.Exists(dir["run2"]));
    }
}
