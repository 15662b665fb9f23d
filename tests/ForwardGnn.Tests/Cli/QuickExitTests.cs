using System.Text.Json;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli;

/// <summary>
/// The tool ends with <c>_exit</c> right after its command: what it prints and writes, and its exit code, must be
/// exactly what the ordinary exit (<c>FORWARDGNN_QUICK_EXIT=off</c>) gives.
/// </summary>
public class QuickExitTests
{
    private const string Graph = "sbm:nodes=300,degree=5,features=16,classes=3,seed=1";

    [Theory]
    [InlineData(null)]
    [InlineData("off")]
    public void ARunPrintsItsWholeResultAndWritesItsFolder(string? quickExit)
    {
        using var dir = new TempDir();
        CliRunner.Result r = CliRunner.RunWith(new Dictionary<string, string?> { [ForwardGnn.Cli.QuickExit.Switch] = quickExit },
            "train", "--dataset", Graph, "--algo", "sf", "--layers", "2", "--epochs", "10", "--threads", "1", "--json", "--out", dir["run"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        using var line = JsonDocument.Parse(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.InRange(line.RootElement.GetProperty("test").GetDouble(), 0, 100);
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir["run"], "result.json")));
        Assert.Equal(line.RootElement.GetProperty("test").GetDouble(), written.RootElement.GetProperty("test").GetDouble());
    }

    [Fact]
    public void BadInputEndsWithTheSameLineAndCodeEitherWay()
    {
        string[] args = ["train", "--dataset", Graph, "--epochs", "-3"];
        CliRunner.Result quick = CliRunner.Run(args);
        CliRunner.Result ordinary = CliRunner.RunWith(new Dictionary<string, string?> { [ForwardGnn.Cli.QuickExit.Switch] = "off" }, args);

        Assert.Equal(2, quick.ExitCode);
        Assert.Equal(ordinary.ExitCode, quick.ExitCode);
        Assert.Equal(ordinary.Stderr, quick.Stderr);
        Assert.Contains("--epochs", quick.Stderr);
    }
}
