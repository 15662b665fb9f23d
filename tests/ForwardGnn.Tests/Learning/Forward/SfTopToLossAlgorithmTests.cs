using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using ForwardGnn.Learning;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

[Collection(SerialCollection.Name)]
public class SfTopToLossAlgorithmTests
{
    [Theory]
    [InlineData(3, 300)]     // stops early: the step made beside the stopping check is discarded
    [InlineData(100, 20)]    // runs out of steps: the check after the last step is made after the loop
    public void ValidationBesideTheNextStepEqualsValidationBeforeIt(int patience, int epochs)
    {
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Algo = "sf-t2l", Layers = 2, Epochs = epochs, Patience = patience, Lr = 0.01, Threads = 1 };
        NodeSplit split = OfficialSplits.Load(SharedData.Roots, data, 0);
        (RunResult Result, List<ValidationRecord> Checks) Run(bool beside)
        {
            var checks = new List<ValidationRecord>();
            var context = new RunContext(data, config, 0, PaperProtocol.RunSeed(config.Seed, 0), CPU) { NodeSplit = split, OnValidation = checks.Add };
            return (new SfTopToLossAlgorithm { ValidateBesideSteps = beside }.Run(context), checks);
        }

        var before = Run(beside: false);
        int saved = ComputeThreads.Count;
        ComputeThreads.Set(2);   // the validation really runs beside the step, on the other thread
        (RunResult Result, List<ValidationRecord> Checks) besides;
        try { besides = Run(beside: true); }
        finally { ComputeThreads.Set(saved); }

        Assert.Equal(before.Checks.Select(c => (c.Epoch, c.Loss, c.Val)), besides.Checks.Select(c => (c.Epoch, c.Loss, c.Val)));
        Assert.Equal(before.Result.Epochs, besides.Result.Epochs);
        Assert.Equal(before.Result.Val, besides.Result.Val);
        Assert.Equal(before.Result.Test, besides.Result.Test);
        if (patience == 3) Assert.True(besides.Result.Epochs < epochs, "no early stop happened");
        else Assert.Equal(10, besides.Checks.Count);   // after steps 1, 3, ..., 19 (0-based), the last one after the loop
    }

    /// <summary>
    /// The GCN layers' written-out steps (<see cref="TopToLossGcnStep"/>, layer 1 on sparse features included) train as
    /// autograd's plain path does: the same checks, early stop and accuracy, losses equal up to rounding.
    /// </summary>
    [Fact]
    public void WrittenOutStepsTrainAsAutogradDoes()
    {
        GraphDataset data = SharedData.Load("citeseer");
        var config = new TrainConfig { Dataset = data.Name, Algo = "sf-t2l", Layers = 3, Epochs = 60, Patience = 5, Lr = 0.01, Threads = 1 };
        var plain = RecordedRun.OnSplitZero(new SfTopToLossAlgorithm(), data, config, autogradOnly: true);
        var written = RecordedRun.OnSplitZero(new SfTopToLossAlgorithm(), data, config);
        // The bound on the loss leaves room for rounding to grow over the run, not for an error: a wrong gradient
        // moves the loss by far more within a few steps.
        Assert.All(written.Checks.Zip(plain.Checks), pair => Assert.True(Math.Abs(pair.First.Loss - pair.Second.Loss) <= 1e-4 * Math.Abs(pair.Second.Loss),
            $"epoch {pair.Second.Epoch}: loss {pair.First.Loss} against {pair.Second.Loss}"));
        Assert.Equal(plain.Checks.Select(c => (c.Epoch, c.Val)), written.Checks.Select(c => (c.Epoch, c.Val)));
        Assert.Equal(plain.Result.Epochs, written.Result.Epochs);
        Assert.Equal(plain.Result.Test, written.Result.Test);
        Assert.True(written.Result.Epochs < config.Epochs, "no early stop happened");
    }
}
