using System.Text.Json;
using System.Text.RegularExpressions;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli;

/// <summary>What a new user reads: usage and help, the datasets table at 80 columns, progress lines, result metadata.</summary>
public class PresentationTests
{
    [Fact]
    public void HelpSaysForwardgnnAndListsTheEnvironmentSwitchesAndEveryChoice()
    {
        CliRunner.Result root = CliRunner.Run("--help");
        Assert.Equal(0, root.ExitCode);
        Assert.Contains("forwardgnn [command] [options]", root.Stdout);
        Assert.DoesNotContain("ForwardGnn.Cli", root.Stdout);
        foreach (string the in new[] { "FORWARDGNN_ALLOCATOR=glibc", "FORWARDGNN_MKL_DISPATCH=mkl", "FORWARDGNN_NATIVE_ENV=off",
                     "FORWARDGNN_NATIVE_LOAD_FIX=off", "OMP_WAIT_POLICY" })
            Assert.Contains(the, root.Stdout);

        CliRunner.Result train = CliRunner.Run("train", "--help");
        Assert.Contains("forwardgnn train [options]", train.Stdout);
        Assert.Contains("node | link", train.Stdout);
        Assert.Contains("gcn | sage | gat", train.Stdout);
        Assert.Contains("bp | sf | ff-la", train.Stdout);

        CliRunner.Result version = CliRunner.Run("--version");
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?(\+[0-9a-f]{40})?\s*$", version.Stdout);
    }

    [Fact]
    public void DatasetsTableFitsEightyColumnsAndWideAddsTheFiles()
    {
        CliRunner.Result narrow = CliRunner.Run("datasets", "--data-root", SharedData.Root);
        Assert.True(narrow.ExitCode == 0, narrow.Stderr);
        string[] lines = narrow.Stdout.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.All(lines.Where(l => l.StartsWith('│') || l.StartsWith('┌')), l => Assert.InRange(l.Length, 1, 80));
        Assert.Contains(lines, l => l.StartsWith("│ CitationFull-Cora_ML ", StringComparison.Ordinal));
        Assert.Contains($"read from {SharedData.Root}", narrow.Stdout);
        Assert.DoesNotContain("cora_ml.npz", narrow.Stdout);

        CliRunner.Result wide = CliRunner.RunWith(new Dictionary<string, string?> { ["COLUMNS"] = "240" },
            "datasets", "--wide", "--data-root", SharedData.Root);
        Assert.True(wide.ExitCode == 0, wide.Stderr);
        Assert.Contains("read from", wide.Stdout);   // the column's header
        Assert.Contains("cora_ml.npz", wide.Stdout.Replace("\n", "").Replace("│", "").Replace(" ", ""));
    }

    [Fact]
    public void ProgressLinesNameSplitLayerEpochLossAndTheMetricAndResultsCarryVersionCommitAndTime()
    {
        using var dir = new TempDir();
        CliRunner.Result sf = CliRunner.Run("train", "--algo", "sf", "--layers", "2", "--epochs", "100", "--threads", "1",
            "--data-root", SharedData.Root, "--out", dir["sf"]);
        Assert.True(sf.ExitCode == 0, sf.Stderr);
        string[] progress = sf.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(" · epoch ")).ToArray();
        Assert.Equal(2, progress.Length);
        for (int layer = 1; layer <= 2; layer++)
            Assert.Matches($@"^split 0 · layer {layer}/2 · epoch 100/100 · loss \d+\.\d{{4}} · val accuracy \d+\.\d\d$", progress[layer - 1]);

        CliRunner.Result bp = CliRunner.Run("train", "--algo", "bp", "--layers", "2", "--epochs", "100", "--threads", "1",
            "--data-root", SharedData.Root, "--out", dir["bp"]);
        Assert.True(bp.ExitCode == 0, bp.Stderr);
        Assert.Matches(@"(?m)^split 0 · layers 1-2 · epoch 100/100 · loss \d+\.\d{4} · val accuracy \d+\.\d\d$", bp.Stderr);

        using var result = JsonDocument.Parse(File.ReadAllText(dir["sf/result.json"]));
        JsonElement r = result.RootElement;
        Assert.Matches(@"^\d+\.\d+\.\d+", r.GetProperty("toolVersion").GetString());
        if (Directory.Exists(Path.Combine(RepositoryRoot.Path, ".git")) || File.Exists(Path.Combine(RepositoryRoot.Path, ".git")))
            Assert.Matches("^[0-9a-f]{40}$", r.GetProperty("commit").GetString());
        DateTime finished = DateTime.Parse(r.GetProperty("finishedUtc").GetString()!, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.InRange(finished, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void ThePreparedToolSaysTheLibrarysChangesOnceAndAnUnpreparedOneNothing()
    {
        using var native = new TempDir();
        var prepared = new Dictionary<string, string?>
        {
            ["FORWARDGNN_NATIVE_ENV"] = "1", ["FORWARDGNN_NATIVE_DIR"] = native.Path, ["OMP_WAIT_POLICY"] = null, ["LD_PRELOAD"] = null,
        };
        CliRunner.Result first = CliRunner.RunWith(prepared, "datasets", "--json", "--data-root", SharedData.Root);
        Assert.True(first.ExitCode == 0, first.Stderr);
        string[] said = first.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("forwardgnn: OpenMP: idle worker threads sleep instead of spinning (OMP_WAIT_POLICY=PASSIVE); off: OMP_WAIT_POLICY=ACTIVE", said);
        Assert.Contains(said, l => l.StartsWith("forwardgnn: glibc malloc: one arena", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(native.Path, "told-omp-wait")));

        CliRunner.Result second = CliRunner.RunWith(prepared, "datasets", "--json", "--data-root", SharedData.Root);
        Assert.Equal("", second.Stderr);

        CliRunner.Result yours = CliRunner.RunWith(new Dictionary<string, string?>
        {
            ["FORWARDGNN_NATIVE_ENV"] = "1", ["FORWARDGNN_NATIVE_DIR"] = native["other"], ["OMP_WAIT_POLICY"] = "ACTIVE",
        }, "datasets", "--json", "--data-root", SharedData.Root);
        Assert.DoesNotContain("OpenMP", yours.Stderr);   // the user's own setting is kept, and not announced

        CliRunner.Result plain = CliRunner.RunWith(new Dictionary<string, string?> { ["FORWARDGNN_NATIVE_ENV"] = null },
            "datasets", "--json", "--data-root", SharedData.Root);
        Assert.Equal("", plain.Stderr);
    }
}
