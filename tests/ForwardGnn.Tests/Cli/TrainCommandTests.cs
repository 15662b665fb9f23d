using System.Text.Json;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli;

public class TrainCommandTests
{
    [Fact]
    public void JsonLastLineHasTheDocumentedSchemaAndFilesAreWritten()
    {
        using var dir = new TempDir();
        CliRunner.Result r = CliRunner.Run("train", "--dataset", "cora_ml", "--algo", "bp", "--gnn", "gcn", "--layers", "2",
            "--split", "0", "--epochs", "6", "--json", "--data-root", SharedData.Root, "--out", dir.Path, "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Stderr);

        string last = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        using var doc = JsonDocument.Parse(last);
        JsonElement o = doc.RootElement;
        Assert.Equal("CitationFull-Cora_ML", o.GetProperty("dataset").GetString());
        Assert.Equal("node", o.GetProperty("task").GetString());
        Assert.Equal("gcn", o.GetProperty("gnn").GetString());
        Assert.Equal("bp", o.GetProperty("algo").GetString());
        Assert.Equal(2, o.GetProperty("layers").GetInt32());
        Assert.Equal([0], o.GetProperty("splits").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("accuracy", o.GetProperty("metric").GetString());
        Assert.InRange(o.GetProperty("test").GetDouble(), 0, 100);
        Assert.Equal(0, o.GetProperty("testStd").GetDouble());
        Assert.InRange(o.GetProperty("val").GetDouble(), 0, 100);
        JsonElement run = Assert.Single(o.GetProperty("perRun").EnumerateArray().ToArray());
        Assert.Equal(0, run.GetProperty("split").GetInt32());
        Assert.Equal(10100, run.GetProperty("seed").GetInt64());
        Assert.Equal(6, run.GetProperty("epochs").GetInt32());
        Assert.True(run.GetProperty("trainSeconds").GetDouble() > 0);
        Assert.True(run.GetProperty("test").GetDouble() >= 0 && run.GetProperty("val").GetDouble() >= 0);
        Assert.True(o.GetProperty("trainSeconds").GetDouble() > 0);
        Assert.True(o.GetProperty("peakRssMiB").GetDouble() > 10);

        Assert.Contains("epochs: 6", File.ReadAllText(Path.Combine(dir.Path, "config.yaml")));
        string[] metrics = File.ReadAllLines(Path.Combine(dir.Path, "metrics.jsonl"));
        Assert.Equal(3, metrics.Length);
        using var check = JsonDocument.Parse(metrics[0]);
        Assert.Equal(["split", "epoch", "layer", "loss", "val", "elapsedSeconds"], check.RootElement.EnumerateObject().Select(p => p.Name));
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "result.json")));
        Assert.Equal(o.GetProperty("test").GetDouble(), result.RootElement.GetProperty("test").GetDouble());
    }

    [Fact]
    public void MetricsOfATopDownRunCarryEachLayersLoss()
    {
        var record = new ForwardGnn.Training.ValidationRecord(0, 1, 0, 2.5, 80, 0.1) { LayerLosses = [2f, 3f] };
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(record, ForwardGnn.Cli.JsonOutput.Options));
        Assert.Equal([2.0, 3.0], doc.RootElement.GetProperty("layerLosses").EnumerateArray().Select(e => e.GetDouble()));
    }

    [Fact]
    public void BenchTimesEveryStepAndValidation()
    {
        using var dir = new TempDir();
        CliRunner.Result r = CliRunner.Run("train", "--dataset", "sbm:nodes=400,degree=6,features=32,classes=4,seed=3", "--algo", "sf",
            "--layers", "2", "--epochs", "30", "--bench", "--json", "--out", dir.Path, "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        JsonElement o = doc.RootElement, bench = o.GetProperty("bench");
        Assert.Equal(o.GetProperty("perRun")[0].GetProperty("epochs").GetInt32(), bench.GetProperty("steps").GetInt32());
        Assert.Equal(File.ReadAllLines(Path.Combine(dir.Path, "metrics.jsonl")).Length, bench.GetProperty("validations").GetInt32());
        Assert.InRange(bench.GetProperty("epochMedianMs").GetDouble(), 1e-3, 10_000);
        Assert.InRange(bench.GetProperty("validationMedianMs").GetDouble(), 1e-3, 10_000);
        Assert.True(bench.GetProperty("wallSeconds").GetDouble() > o.GetProperty("trainSeconds").GetDouble());
        Assert.Equal(o.GetProperty("peakRssMiB").GetDouble(), bench.GetProperty("peakRssMiB").GetDouble());
        // Start-up milestones, in seconds from the process's start, come in the order the run reaches them.
        JsonElement startup = bench.GetProperty("startup");
        double[] milestones = new[] { "mainSeconds", "dataLoadedSeconds", "libTorchReadySeconds", "firstStepSeconds" }
            .Select(name => startup.GetProperty(name).GetDouble()).Append(bench.GetProperty("wallSeconds").GetDouble()).ToArray();
        Assert.True(milestones[0] > 0);
        Assert.Equal(milestones.Order(), milestones);

        CliRunner.Result plain = CliRunner.Run("train", "--dataset", "sbm:nodes=400,degree=6,features=32,classes=4,seed=3", "--algo", "sf",
            "--layers", "1", "--epochs", "4", "--json", "--out", dir["plain"], "--threads", "1");
        using var plainDoc = JsonDocument.Parse(plain.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal(JsonValueKind.Null, plainDoc.RootElement.GetProperty("bench").ValueKind);
    }

    [Fact]
    public void BenchWithoutValidationPrintsNullForTheValidationTime()
    {
        using var dir = new TempDir();
        CliRunner.Result r = CliRunner.Run("train", "--dataset", "sbm:nodes=300,degree=6,features=16,classes=3,seed=5", "--algo", "bp",
            "--layers", "2", "--epochs", "14", "--patience", "-1", "--bench", "--json", "--out", dir.Path, "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        JsonElement bench = doc.RootElement.GetProperty("bench");
        Assert.Equal(0, bench.GetProperty("validations").GetInt32());
        Assert.Equal(JsonValueKind.Null, bench.GetProperty("validationMedianMs").ValueKind);
        Assert.True(bench.GetProperty("epochMedianMs").GetDouble() > 0);
    }

    [Fact]
    public void ConfigFileIsOverriddenByFlags()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["c.yaml"], "dataset: citeseer\ngnn: sage\nlayers: 1\nepochs: 4\n");
        CliRunner.Result r = CliRunner.Run("train", "--config", dir["c.yaml"], "--epochs", "2", "--json",
            "--data-root", SharedData.Root, "--out", dir["out"], "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("CitationFull-CiteSeer", doc.RootElement.GetProperty("dataset").GetString());
        Assert.Equal("sage", doc.RootElement.GetProperty("gnn").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("perRun")[0].GetProperty("epochs").GetInt32());
    }

    [Theory]
    [InlineData("unknown GNN 'gin'", "--gnn", "gin")]
    [InlineData("unknown algorithm 'xyz'", "--algo", "xyz")]
    [InlineData("--layers must be at least 1", "--layers", "0")]
    [InlineData("bad list 'a-b'", "--splits", "a-b")]
    public void BadOptionsGiveOneLineAndExitCodeTwo(string expected, params string[] args)
    {
        CliRunner.Result r = CliRunner.Run(["train", "--data-root", SharedData.Root, "--no-download", .. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void BadConfigFileIsNamed()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["c.yaml"], "epochz: 3\n");
        CliRunner.Result r = CliRunner.Run("train", "--config", dir["c.yaml"], "--data-root", SharedData.Root);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"forwardgnn: error: {dir["c.yaml"]}: line 1", r.Stderr);
    }
}
