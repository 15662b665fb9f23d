using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli;

/// <summary>Every kind of bad input a user can give <c>train</c>: one line naming what and where, exit code 2.</summary>
public class BadInputTests
{
    /// <summary>
    /// A 24-node graph in graph2gauss form: a ring (node i → i+1) plus one feature per node, two classes alternating;
    /// the generated splits give both classes training nodes. <paramref name="isolated"/> nodes at the end have no edges.
    /// </summary>
    private static NpzBuilder Ring(int n = 24, int isolated = 0, long[]? labels = null, float feature = 1f)
    {
        int ring = n - isolated;
        int[] pointer = Enumerable.Range(0, n + 1).Select(i => Math.Min(i, ring)).ToArray();
        return new NpzBuilder()
            .AddFloat32("adj_data", Enumerable.Repeat(1f, ring).ToArray())
            .AddInt32("adj_indices", Enumerable.Range(0, ring).Select(i => (i + 1) % ring).ToArray())
            .AddInt32("adj_indptr", pointer)
            .AddInt64("adj_shape", n, n)
            .AddFloat32("attr_data", Enumerable.Range(0, n).Select(i => i == 3 ? feature : 1f).ToArray())
            .AddInt32("attr_indices", Enumerable.Range(0, n).Select(i => i % 4).ToArray())
            .AddInt32("attr_indptr", Enumerable.Range(0, n + 1).ToArray())
            .AddInt64("attr_shape", n, 4)
            .AddInt64("labels", labels ?? Enumerable.Range(0, n).Select(i => (long)(i % 2)).ToArray());
    }

    /// <summary>Labels alternating 0/1, except one node of split 0's test set, which alone has <paramref name="label"/>.</summary>
    private static long[] OnlyInTest(long label, int n = 24)
    {
        long[] labels = Enumerable.Range(0, n).Select(i => (long)(i % 2)).ToArray();
        labels[ForwardGnn.Data.Splits.NodeSplits.Generate(n, 0).Test[0]] = label;
        return labels;
    }

    private static CliRunner.Result TrainOn(Action<string> writeGraph, TempDir dir, params string[] extra)
    {
        Directory.CreateDirectory(dir["CitationFull-Cora_ML"]);
        writeGraph(dir["CitationFull-Cora_ML/cora_ml.npz"]);
        return CliRunner.Run(["train", "--epochs", "4", "--threads", "1", "--no-download", "--data-root", dir.Path, "--out", dir["run"], .. extra]);
    }

    private static void AssertOneLine(CliRunner.Result r, int exitCode, params string[] expected)
    {
        Assert.True(r.ExitCode == exitCode, $"exit {r.ExitCode}: {r.Stderr}");
        string line = Assert.Single(r.Stderr.Split("\n", StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("forwardgnn: error:"));
        foreach (string text in expected) Assert.Contains(text, line);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    public static TheoryData<string, Action<string>, string> BadGraphs() => new()
    {
        { "negative label", path => Ring(labels: [.. Enumerable.Range(0, 23).Select(i => (long)(i % 2)), -1]).Write(path), "-1" },
        { "NaN feature", path => Ring(feature: float.NaN).Write(path), "not a finite number" },
        { "infinite feature", path => Ring(feature: float.PositiveInfinity).Write(path), "not a finite number" },
        { "empty graph", path => Ring(n: 0).Write(path), "no nodes" },
        { "class without training node", path => Ring(labels: OnlyInTest(2)).Write(path), "class 2 has no training node in split 0" },
    };

    [Theory]
    [MemberData(nameof(BadGraphs))]
    public void BadGraphIsNamedWithExitCodeTwo(string _, Action<string> writeGraph, string expected)
    {
        using var dir = new TempDir();
        AssertOneLine(TrainOn(writeGraph, dir), 2, expected);
        Assert.False(File.Exists(dir["run/result.json"]));
    }

    [Theory]
    [InlineData("bp")]
    [InlineData("sf")]
    public void GraphWithIsolatedNodesTrains(string algo)
    {
        using var dir = new TempDir();
        CliRunner.Result r = TrainOn(path => Ring(isolated: 4).Write(path), dir, "--algo", algo, "--layers", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(dir["run/result.json"]));
    }

    [Fact]
    public void SplitFileOfAnotherDatasetIsNamed()
    {
        using var dir = new TempDir();
        string folder = dir["forwardgnn-datasplits/datasplits/CitationFull-Cora_ML/node-5splits"];
        Directory.CreateDirectory(folder);
        string citeSeer = Path.Combine(SharedData.Root, "forwardgnn-datasplits/datasplits/CitationFull-CiteSeer/node-5splits");
        foreach (string file in Directory.GetFiles(citeSeer, "*split0.pt")) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        Directory.CreateDirectory(dir["CitationFull-Cora_ML"]);
        File.Copy(Path.Combine(SharedData.Root, "CitationFull-Cora_ML/cora_ml.npz"), dir["CitationFull-Cora_ML/cora_ml.npz"]);

        CliRunner.Result r = CliRunner.Run("train", "--epochs", "2", "--threads", "1", "--data-root", dir.Path, "--out", dir["run"]);
        AssertOneLine(r, 2, folder, "out of range 0..2994");
    }

    [Theory]
    [InlineData("unknown dataset 'cora_m1'; did you mean 'CitationFull-Cora_ML'?", "--dataset", "cora_m1")]
    [InlineData("does not support the link task", "--algo", "sf", "--task", "link")]
    [InlineData("--lr must be positive", "--lr", "0")]
    [InlineData("--lr must be positive", "--lr", "-0.1")]
    [InlineData("--epochs must be at least 1", "--epochs", "0")]
    [InlineData("--weight-decay must be non-negative", "--weight-decay", "-1")]
    [InlineData("--ff-theta must be a finite number", "--ff-theta", "NaN")]
    [InlineData("--dropout must be in [0, 1)", "--dropout", "1")]
    [InlineData("--dropout is not applied by sf for the node task (those that apply it: bp, dfa)", "--algo", "sf", "--dropout", "0.5")]
    [InlineData("--dropout is not applied by bp for the link task", "--task", "link", "--dropout", "0.5")]
    [InlineData("--trace-test is recorded by bp, drtp, dfa for the node task, not by sf", "--algo", "sf", "--trace-test")]
    [InlineData("--trace-test is for runs in one process", "--trace-test", "--ranks", "2")]
    [InlineData("--test-time-steps must be 3..1000", "--test-time-steps", "2")]
    [InlineData("splits must be in 0..4", "--splits", "3-5")]
    [InlineData("Cannot parse argument 'two' for option '--layers'", "--layers", "two")]
    [InlineData("Unrecognized command or argument '--bogus'", "--bogus")]
    [InlineData("unknown --on-nan policy 'ignore'", "--on-nan", "ignore")]
    public void NonsensicalOptionsAreNamed(string expected, params string[] args)
    {
        AssertOneLine(CliRunner.Run(["train", "--data-root", SharedData.Root, "--no-download", .. args]), 2, expected);
    }

    [Fact]
    public void DataRootThatDoesNotExistIsNamed()
    {
        string missing = Path.Combine(Path.GetTempPath(), "forwardgnn-no-such-root-" + Guid.NewGuid().ToString("N"));
        AssertOneLine(CliRunner.Run("train", "--data-root", missing), 2, missing, "does not exist");
        Assert.False(Directory.Exists(missing));
    }

    private const string Sbm = "sbm:nodes=300,degree=5,features=16,classes=3,seed=1";

    public static TheoryData<string, string> DamagedCheckpoints() => new()
    {
        { "split0.json", "{\"split\": 0, \"test\": " },
        { "split1-layer1.json", "[]" },
        { "split1-layer1.pt", "\u0001\u0002garbage" },
    };

    /// <summary>Whichever checkpoint file is damaged, --resume names it with exit code 2.</summary>
    [Theory]
    [MemberData(nameof(DamagedCheckpoints))]
    public void ADamagedCheckpointIsNamedWithExitCodeTwo(string file, string content)
    {
        using var dir = new TempDir();
        string[] train = ["train", "--dataset", Sbm, "--algo", "sf", "--layers", "2", "--splits", "0-1", "--epochs", "6", "--threads", "1", "--out", dir["run"]];
        CliRunner.Result first = CliRunner.Run(train);
        Assert.True(first.ExitCode == 0, first.Stderr);
        // An unfinished run: split 0 finished, split 1's first layer finished.
        File.Delete(dir["run/result.json"]);
        Directory.CreateDirectory(dir["run/checkpoints"]);
        File.WriteAllText(dir["run/checkpoints/split0.json"], "{}");
        File.WriteAllText(dir["run/checkpoints/split1-layer1.json"], "{\"epochs\": 6, \"bestVal\": 50}");
        File.WriteAllText(dir["run/checkpoints/split1-layer1.pt"], "");
        File.WriteAllText(dir[$"run/checkpoints/{file}"], content);

        CliRunner.Result r = CliRunner.Run([.. train, "--resume"]);
        AssertOneLine(r, 2, dir[$"run/checkpoints/{file}"], "checkpoint is damaged");
        Assert.DoesNotContain("frame #", r.Stderr);
    }

    [Fact]
    public void AHugeConfigFileIsRefusedAtOnce()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["c.yaml"], "dataset: " + new string('x', 5_000_000) + "\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        AssertOneLine(CliRunner.Run("train", "--config", dir["c.yaml"], "--out", dir["run"]), 2, dir["c.yaml"], "more than a settings file may be");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void EchoedValuesAreShortened()
    {
        CliRunner.Result r = CliRunner.Run("train", "--dataset", new string('q', 20_000), "--no-download");
        AssertOneLine(r, 2, "unknown dataset");
        Assert.True(r.Stderr.Trim().Length <= 300, r.Stderr);
    }

    /// <summary>A libtorch allocation failure (forced with a 2 GiB data limit) is its first line: no C++ backtrace.</summary>
    [Fact]
    public async Task ALibTorchFailureIsOneLineWithoutBacktrace()
    {
        using var dir = new TempDir();
        string cli = System.IO.Path.Combine(AppContext.BaseDirectory, "ForwardGnn.Cli.dll");
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"ulimit -d 2097152 && exec dotnet '{cli}' train --dataset sbm:nodes=8000,degree=5,features=16,classes=3 --hidden 65536 --epochs 2 --threads 1 --max-memory 1T --out '{dir["run"]}'");
        using var process = System.Diagnostics.Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)));
        var r = new CliRunner.Result(process.ExitCode, "", await stderr);
        AssertOneLine(r, 1, "can't allocate memory");
        Assert.DoesNotContain("frame #", r.Stderr);
        Assert.DoesNotContain("c10::", r.Stderr);
    }
}
