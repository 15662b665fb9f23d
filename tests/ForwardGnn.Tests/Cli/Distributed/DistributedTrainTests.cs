using System.Text.Json;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli.Distributed;

/// <summary>
/// Distributed SF through Open MPI, as a user runs it: one rank through MPI (singleton mode) is the single-process run
/// bit for bit, and two ranks (mpirun on this machine) train the same model up to the order of float additions, with a
/// halo exchange and a class-sum all-reduce once per layer and one gradient all-reduce per step.
/// </summary>
[Collection(SerialCollection.Name)]   // mpirun ranks use every core
public class DistributedTrainTests
{
    /// <summary>SF-GCN L2 for 20 epochs per layer on Cora_ML split 0, unless <paramref name="extra"/> names another <c>--algo</c>.</summary>
    private static string[] Train(string outDir, params string[] extra) =>
    [
        "train", "--dataset", "cora_ml", .. extra.Contains("--algo") ? Array.Empty<string>() : ["--algo", "sf"], "--layers", "2",
        "--epochs", "20", "--json", "--out", outDir, "--data-root", SharedData.Root, "--no-download", .. extra,
    ];

    private static JsonElement Result(CliRunner.Result r)
    {
        Assert.True(r.ExitCode == 0, r.Stderr);
        return JsonDocument.Parse(r.Stdout.TrimEnd().Split('\n')[^1]).RootElement;
    }

    private static double[] DepthTests(JsonElement result) =>
        result.GetProperty("perRun")[0].GetProperty("perDepth").EnumerateArray().Select(d => d.GetProperty("test").GetDouble()).ToArray();

    [Fact]
    public void OneRankThroughMpiIsTheSingleProcessRunBitForBit()
    {
        using var dir = new TempDir();
        JsonElement plain = Result(CliRunner.Run(Train(dir["plain"], "--threads", "1")));
        JsonElement mpi = Result(CliRunner.Run(Train(dir["mpi"], "--threads", "1", "--distributed")));
        Assert.Equal(DepthTests(plain), DepthTests(mpi));
        Assert.Equal(plain.GetProperty("val").GetDouble(), mpi.GetProperty("val").GetDouble());
        Assert.Equal(plain.GetProperty("perRun")[0].GetProperty("epochs").GetInt32(), mpi.GetProperty("perRun")[0].GetProperty("epochs").GetInt32());
        Assert.Equal(0, mpi.GetProperty("traffic").GetProperty("halo").GetProperty("bytesSent").GetDouble());   // one rank sends nothing
    }

    [Fact]
    public void TwoRanksTrainTheSameModelAndExchangeHalosOncePerLayer()
    {
        using var dir = new TempDir();
        JsonElement one = Result(CliRunner.Run(Train(dir["k1"], "--threads", "1")));
        JsonElement two = Result(CliRunner.Run(Train(dir["k2"], "--ranks", "2")));
        double[] expected = DepthTests(one), actual = DepthTests(two);
        for (int d = 0; d < expected.Length; d++) Assert.InRange(actual[d], expected[d] - 1.0, expected[d] + 1.0);

        JsonElement traffic = two.GetProperty("traffic");
        long Ops(string kind) => traffic.GetProperty(kind).GetProperty("operations").GetInt64();
        int steps = two.GetProperty("perRun")[0].GetProperty("epochs").GetInt32();
        Assert.Equal(2, Ops("halo"));         // after each of the 2 layers
        Assert.Equal(2, Ops("class-sums"));   // the class nodes' aggregates, once per layer
        Assert.Equal(steps, Ops("gradients"));
        Assert.True(traffic.GetProperty("halo").GetProperty("bytesSent").GetDouble() > 0);
        Assert.True(File.Exists(Path.Combine(dir["k2"], "result.json")));                  // rank 0 writes the run folder
        Assert.True(File.Exists(Path.Combine(dir["k2"], "model.json")));
    }

    [Fact]
    public void BackpropOnTwoRanksExchangesHalosAndTheirGradientsEveryEpoch()
    {
        using var dir = new TempDir();
        JsonElement one = Result(CliRunner.Run(Train(dir["k1"], "--algo", "bp", "--threads", "1")));
        JsonElement two = Result(CliRunner.Run(Train(dir["k2"], "--algo", "bp", "--ranks", "2")));
        Assert.InRange(two.GetProperty("test").GetDouble(), one.GetProperty("test").GetDouble() - 1.0, one.GetProperty("test").GetDouble() + 1.0);

        JsonElement traffic = two.GetProperty("traffic");
        long Ops(string kind) => traffic.GetProperty(kind).GetProperty("operations").GetInt64();
        int epochs = two.GetProperty("perRun")[0].GetProperty("epochs").GetInt32();
        Assert.Equal(epochs, Ops("halo-gradients"));   // L − 1 = 1 layer boundary, every epoch
        Assert.Equal(epochs, Ops("gradients"));
        Assert.True(Ops("halo") >= epochs);              // and again in every validation's forward pass
    }

    [Theory]
    [InlineData("distributed training supports --algo sf or bp with --gnn gcn", "--ranks", "2", "--gnn", "sage")]
    [InlineData("--ranks must be 1..256", "--ranks", "0")]
    [InlineData("--resume is not supported with distributed training", "--ranks", "2", "--resume")]
    public void UnsupportedSettingsAreRefusedBeforeAnyRankStarts(string expected, params string[] args)
    {
        using var dir = new TempDir();
        CliRunner.Result r = CliRunner.Run(Train(dir["run"], args));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
    }
}
