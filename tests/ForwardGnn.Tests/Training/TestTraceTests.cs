using System.Text.Json;
using ForwardGnn.Cli;
using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Training;
using ForwardGnn.Tests.Support;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Training;

/// <summary>
/// Tracing the test metric at every validation check (<see cref="ForwardGnn.Learning.RunContext.TraceTest"/>): a
/// measurement that leaves the run as it was, whose value at the best check is the reported test metric.
/// </summary>
[Collection(SerialCollection.Name)]
public class TestTraceTests
{
    [Theory]
    [InlineData("bp", 0.0)]   // the written-out GCN step, its check made during the next step
    [InlineData("bp", 0.5)]   // the autograd path, validation on its own forward
    [InlineData("dfa", 0.0)]  // the whole-network schedule, checks after the step
    public void TheTraceChangesNothingAndItsBestCheckIsTheReportedTest(string algo, double dropout)
    {
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Algo = algo, Epochs = 30, Layers = 2, Hidden = 16, Lr = 0.01, Dropout = dropout, Threads = 1 };
        var plainChecks = new List<ValidationRecord>();
        var tracedChecks = new List<ValidationRecord>();

        RunResult plain = new Experiment(data, SharedData.Roots, config, CPU).RunSplit(0, plainChecks.Add);
        RunResult traced = new Experiment(data, SharedData.Roots, config, CPU).RunSplit(0, tracedChecks.Add, traceTest: true);

        Assert.Equal(plain.Test, traced.Test);
        Assert.Equal(plain.Val, traced.Val);
        Assert.Equal(plain.Epochs, traced.Epochs);
        Assert.Equal(plainChecks.Select(c => (c.Epoch, c.Val, c.Loss)), tracedChecks.Select(c => (c.Epoch, c.Val, c.Loss)));
        Assert.All(plainChecks, c => Assert.Null(c.Test));
        Assert.All(tracedChecks, c => Assert.InRange(c.Test!.Value, 0, 100));
        // Early stopping keeps the first check with the best validation accuracy and restores it before testing.
        ValidationRecord best = tracedChecks.First(c => c.Val == traced.Val);
        Assert.Equal(traced.Test, best.Test!.Value, 9);
        Assert.True(tracedChecks.Select(c => c.Test).Distinct().Count() > 2, "the test metric moves during training");
    }

    [Fact]
    public void AnUntracedCheckIsWrittenWithoutATestField()
    {
        var check = new ValidationRecord(0, 1, 0, 0.5, 70, 1.5);

        string plain = JsonSerializer.Serialize(check, JsonOutput.Options);
        string traced = JsonSerializer.Serialize(check with { Test = 65.25 }, JsonOutput.Options);

        Assert.DoesNotContain("test", plain, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(plain[..^1] + ",\"test\":65.25}", traced);
    }
}
