using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ForwardGnn.Data;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;

namespace ForwardGnn.Tests.Cli;

/// <summary>
/// Tiny inputs that declare huge sizes, and settings that would need more memory than allowed, are refused before the
/// allocation: one line with the estimate, exit code 2, within seconds.
/// </summary>
public class ResourceBudgetTests
{
    /// <summary>Sets the declared (uncompressed) size of <paramref name="member"/> in both of the zip's headers.</summary>
    internal static void DeclareSize(string zipPath, string member, uint size)
    {
        byte[] zip = File.ReadAllBytes(zipPath);
        byte[] name = Encoding.ASCII.GetBytes(member);
        for (int i = 0; i + 46 < zip.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            (int nameAt, int sizeAt) = signature switch { 0x04034b50 => (30, 22), 0x02014b50 => (46, 24), _ => (-1, -1) };
            if (nameAt < 0 || i + nameAt + name.Length > zip.Length || !zip.AsSpan(i + nameAt, name.Length).SequenceEqual(name)) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + sizeAt), size);
        }
        File.WriteAllBytes(zipPath, zip);
    }

    private static CliRunner.Result Timed(out TimeSpan took, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        CliRunner.Result r = CliRunner.Run(args);
        took = clock.Elapsed;
        return r;
    }

    private static void AssertRefused(CliRunner.Result r, TimeSpan took, params string[] expected)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Stderr}");
        string line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("forwardgnn: error:"));
        Assert.True(line.Length <= 300, line);
        foreach (string text in expected) Assert.Contains(text, line);
        Assert.True(took < TimeSpan.FromSeconds(60), $"took {took}");
    }

    [Fact]
    public void ASmallNpzWhoseMemberDeclaresTwoGigabytesIsRefusedBeforeReading()
    {
        using var dir = new TempDir();
        string file = dir["CitationFull-Cora_ML/cora_ml.npz"];
        var random = new Random(3);
        byte[] noise = new byte[2_000_000];
        random.NextBytes(noise);   // incompressible, so the declared size stays within what deflate can expand to
        NpzBuilder.SmallGraph().Replace("attr_data", "<f4", [500_000], noise).Write(file, CompressionLevel.Optimal);
        DeclareSize(file, "attr_data.npy", 2_000_000_000);

        CliRunner.Result r = Timed(out TimeSpan took, "train", "--data-root", dir.Path, "--no-download", "--out", dir["run"], "--max-memory", "1G");
        AssertRefused(r, took, $"{file}:attr_data.npy", "needs about 3.73 GiB of memory, more than the 1 GiB allowed");

        DeclareSize(file, "attr_data.npy", 2_140_000_000);   // beyond deflate's ratio for 2 MB: a lying directory
        AssertRefused(Timed(out took, "datasets", "--data-root", dir.Path), took, $"{file}:attr_data.npy", "more than deflate can expand to");
    }

    [Theory]
    [InlineData("sbm:nodes=1000,degree=5,features=2000000000,classes=2", new string[0], "2,000,000,000 features", "TiB")]
    [InlineData("sbm:nodes=100000000,degree=10", new[] { "--max-memory", "8G" }, "generating 100,000,000 nodes with degree 10 needs about")]
    [InlineData("sbm:nodes=2000,degree=5,features=16,classes=2", new[] { "--hidden", "65536", "--layers", "64" }, "64 layers of 65536", "needs about")]
    public void SettingsThatCannotFitAreRefusedWithTheEstimate(string dataset, string[] extra, params string[] expected)
    {
        using var dir = new TempDir();
        CliRunner.Result r = Timed(out TimeSpan took, ["train", "--dataset", dataset, "--out", dir["run"], "--epochs", "2", .. extra]);
        AssertRefused(r, took, expected);
        Assert.False(Directory.Exists(dir["run"]));
    }

    [Fact]
    public void AHugeFeatureIdInTheGitHubFilesIsRefusedBeforeTraining()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["GitHub"]);
        File.WriteAllText(dir["GitHub/musae_git_edges.csv"], "id_1,id_2\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{i},{(i + 1) % 40}")) + "\n");
        File.WriteAllText(dir["GitHub/musae_git_target.csv"], "id,name,ml_target\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{i},n{i},{i % 2}")) + "\n");
        var features = Enumerable.Range(0, 40).ToDictionary(i => $"{i}", i => i == 7 ? new[] { 9_999_999 } : new[] { i % 5 });
        File.WriteAllText(dir["GitHub/musae_git_features.json"], JsonSerializer.Serialize(features));

        CliRunner.Result r = Timed(out TimeSpan took, "train", "--dataset", "github", "--data-root", dir.Path, "--no-download",
            "--out", dir["run"], "--max-memory", "4G");
        AssertRefused(r, took, "10,000,000 features", "needs about", "GiB allowed");

        features["7"] = [2_147_483_647];
        File.WriteAllText(dir["GitHub/musae_git_features.json"], JsonSerializer.Serialize(features));
        r = Timed(out took, "train", "--dataset", "github", "--data-root", dir.Path, "--no-download", "--out", dir["run"]);
        AssertRefused(r, took, dir["GitHub/musae_git_features.json"], "feature id 2147483647 is too large");
    }

    [Fact]
    public void MeasuredPeaksStayBelowTheEstimate()
    {
        using var dir = new TempDir();
        var measured = new List<(string Run, double PeakMiB, double EstimateMiB)>();
        foreach ((string dataset, string gnn, string algo) in new[]
                 { ("CitationFull-Cora_ML", "gcn", "sf"), ("Amazon-Photo", "gat", "bp"), ("sbm:nodes=4000,degree=8,features=64,classes=4,seed=1", "sage", "bp") })
        {
            CliRunner.Result r = CliRunner.Run("train", "--dataset", dataset, "--gnn", gnn, "--algo", algo, "--layers", "2", "--epochs", "10",
                "--threads", "1", "--json", "--data-root", SharedData.Root, "--out", dir[gnn]);   // glibc's allocator: the larger peak
            Assert.True(r.ExitCode == 0, r.Stderr);
            double peakMiB = JsonDocument.Parse(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.GetProperty("peakRssMiB").GetDouble();
            GraphDataset data = new DatasetLoader(SharedData.Roots).Load(dataset);
            var config = new TrainConfig { Dataset = dataset, Gnn = ForwardGnn.Layers.GnnLayers.Parse(gnn), Algo = algo };
            double estimateMiB = TrainingMemory.Estimate(data, config) / (1 << 20);
            measured.Add(($"{dataset} {algo}-{gnn}", peakMiB, estimateMiB));
        }
        string all = string.Join("; ", measured.Select(m => $"{m.Run}: peak {m.PeakMiB:F0} MiB, estimate {m.EstimateMiB:F0} MiB"));
        Assert.True(measured.All(m => m.PeakMiB <= m.EstimateMiB), $"a peak above its estimate: {all}");
        Assert.True(measured.All(m => m.EstimateMiB <= 3 * m.PeakMiB), $"an estimate more than 3× its peak: {all}");
    }

    [Fact]
    public void LayerWiseEstimatesStayFlatInDepthAndBackpropsGrow()
    {
        // SF-GCN L4 on a 1M-node SBM graph peaks at 8.9 GiB (docs/performance.md); an estimate growing with depth refused it.
        GraphDataset data = new DatasetLoader(SharedData.Roots).Load("sbm:nodes=2000,degree=6,features=32,classes=4,seed=1");
        double Estimate(string algo, int layers) => TrainingMemory.Estimate(data, new TrainConfig { Dataset = data.Name, Algo = algo, Layers = layers });
        double parametersPerLayer = 128.0 * 128 * 4 * 4, activationsPerLayer = 2000.0 * 128 * 4 * 12;   // H = 128
        Assert.Equal(62 * parametersPerLayer, Estimate("sf", 64) - Estimate("sf", 2), 3);   // only the kept layers' weights grow
        Assert.Equal(activationsPerLayer + parametersPerLayer, Estimate("sf", 2) - Estimate("sf", 1), 3);
        Assert.Equal(62 * (parametersPerLayer + activationsPerLayer), Estimate("bp", 64) - Estimate("bp", 2), 3);
    }
}
