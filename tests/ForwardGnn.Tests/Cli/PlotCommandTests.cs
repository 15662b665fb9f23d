using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli;

public class PlotCommandTests
{
    [Fact]
    public void BenchResultsOnSbmGraphsPlotAgainstGraphSize()
    {
        using var dir = new TempDir();
        var lines = new List<string>();
        foreach (int nodes in new[] { 300, 600 })
        {
            CliRunner.Result r = CliRunner.Run("train", "--dataset", $"sbm:nodes={nodes},degree=4,features=32,classes=4,seed=1", "--algo", "sf",
                "--layers", "1", "--epochs", "12", "--bench", "--json", "--threads", "1", "--out", dir[$"run{nodes}"]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            lines.Add(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        }
        File.WriteAllLines(dir["bench.jsonl"], lines);

        CliRunner.Result plot = CliRunner.Run("plot", dir["bench.jsonl"]);
        Assert.True(plot.ExitCode == 0, plot.Stderr);
        byte[] png = File.ReadAllBytes(dir["bench.png"]);
        Assert.True(png.Length > 5_000);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public void BenchFileWithoutTimingsIsBadInput()
    {
        using var dir = new TempDir();
        CliRunner.Result r = CliRunner.Run("train", "--dataset", "sbm:nodes=300,degree=4,features=32,classes=4,seed=1", "--algo", "sf",
            "--layers", "1", "--epochs", "4", "--json", "--threads", "1", "--out", dir["run"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        File.WriteAllText(dir["bench.jsonl"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1] + "\n");
        CliRunner.Result plot = CliRunner.Run("plot", dir["bench.jsonl"]);
        Assert.Equal(2, plot.ExitCode);
        Assert.Contains("without bench timings", plot.Stderr);
    }
}
