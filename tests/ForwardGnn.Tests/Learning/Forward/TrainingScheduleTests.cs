using System.Diagnostics;
using ForwardGnn.Cli.Protocol;
using ForwardGnn.Engine;
using ForwardGnn.Learning;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class TrainingScheduleTests
{
    private static RunContext Context(NanPolicy policy, CheckpointFolder? checkpoints = null) =>
        new(null!, new TrainConfig { Epochs = 40, Patience = 100, OnNan = policy }, 0, 1, CPU) { Checkpoints = checkpoints };

    /// <summary>A step that moves the weight by +1 and, from epoch <paramref name="badFrom"/> (1-based) on, makes the loss NaN.</summary>
    private static Func<float> Step(nn.Module layer, int badFrom, List<int> calls) => () =>
    {
        calls.Add(calls.Count + 1);
        using (no_grad()) layer.parameters().First().add_(1);
        return calls.Count >= badFrom ? float.NaN : 1f;
    };

    [Fact]
    public void NanLossStopsTheRunNamingLayerAndEpoch()
    {
        using var scope = NewDisposeScope();
        var layer = nn.Linear(2, 2);
        var calls = new List<int>();
        var fault = Assert.Throws<NumericalFaultException>(() =>
            TrainingSchedule.Train(Context(NanPolicy.Stop), 3, layer, Step(layer, 7, calls), () => calls.Count, Stopwatch.StartNew()));
        Assert.StartsWith("non-finite loss at layer 3, epoch 7", fault.Message);
    }

    [Fact]
    public void RestorePolicyGoesBackToTheLastCheckpointAndEndsTheLayer()
    {
        using var scope = NewDisposeScope();
        var layer = nn.Linear(2, 2);
        var calls = new List<int>();
        Tensor? atSix = null;
        double Validate()
        {
            if (calls.Count == 6) atSix = layer.weight!.detach().clone().DetachFromDisposeScope();   // the loop disposes per epoch
            return calls.Count;
        }
        (int epochs, double best) = TrainingSchedule.Train(Context(NanPolicy.Restore), 1, layer, Step(layer, 7, calls), Validate, Stopwatch.StartNew());

        Assert.Equal(7, epochs);
        Assert.Equal(6, best);                                                    // the check after epoch 6 was the last good one
        Assert.True(layer.weight!.allclose(atSix!, rtol: 0, atol: 0));
        Assert.True(NumericalGuard.AllFinite(layer));
    }

    [Fact]
    public void NonFiniteParameterIsCaughtAtTheNextCheck()
    {
        using var scope = NewDisposeScope();
        var layer = nn.Linear(2, 2);
        int calls = 0;
        float Step()
        {
            if (++calls == 5) using (no_grad()) layer.bias!.fill_(float.PositiveInfinity);
            return 1f;
        }
        var fault = Assert.Throws<NumericalFaultException>(() =>
            TrainingSchedule.Train(Context(NanPolicy.Stop), 2, layer, Step, () => calls, Stopwatch.StartNew()));
        Assert.StartsWith("non-finite parameter at layer 2, epoch 6", fault.Message);
    }

    [Fact]
    public void AFinishedLayerIsSavedAndLoadedInsteadOfRetrained()
    {
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var checkpoints = new CheckpointFolder(dir["checkpoints"]);
        var trained = nn.Linear(3, 2);
        var calls = new List<int>();
        (int epochs, double best) = TrainingSchedule.Train(Context(NanPolicy.Stop, checkpoints), 2, trained, Step(trained, int.MaxValue, calls),
            () => -Math.Abs(calls.Count - 10), Stopwatch.StartNew());   // best at epoch 10: the saved weights are those

        var fresh = nn.Linear(3, 2);
        var freshCalls = new List<int>();
        (int resumedEpochs, double resumedBest) = TrainingSchedule.Train(Context(NanPolicy.Stop, checkpoints), 2, fresh,
            Step(fresh, int.MaxValue, freshCalls), () => 0, Stopwatch.StartNew());

        Assert.Empty(freshCalls);
        Assert.Equal((epochs, best), (resumedEpochs, resumedBest));
        Assert.True(fresh.weight!.allclose(trained.weight!, rtol: 0, atol: 0));
        Assert.True(fresh.bias!.allclose(trained.bias!, rtol: 0, atol: 0));
        Assert.Null(checkpoints.TryRestoreLayer(0, 3, fresh));
        Assert.Null(checkpoints.TryRestoreLayer(1, 2, fresh));
    }

    /// <summary>
    /// A layer whose weight is laid out transposed while it trains (SF's layer 1 on sparse features) is saved row by
    /// row and loaded back into either layout, each parameter keeping its own; libtorch's writer refuses a
    /// non-contiguous tensor, so without the row layout the save throws.
    /// </summary>
    [Fact]
    public void ALayerLaidOutTransposedIsSavedAndLoadedRowByRow()
    {
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var checkpoints = new CheckpointFolder(dir["checkpoints"]);
        var trained = nn.Linear(3, 2);
        ParameterLayout.Set(trained.weight!, transposed: true);
        var calls = new List<int>();
        TrainingSchedule.Train(Context(NanPolicy.Stop, checkpoints), 1, trained, Step(trained, int.MaxValue, calls), () => calls.Count, Stopwatch.StartNew());
        Assert.False(trained.weight!.is_contiguous());   // still transposed

        foreach (bool transposed in new[] { true, false })
        {
            var fresh = nn.Linear(3, 2);
            ParameterLayout.Set(fresh.weight!, transposed);
            var freshCalls = new List<int>();
            TrainingSchedule.Train(Context(NanPolicy.Stop, checkpoints), 1, fresh, Step(fresh, int.MaxValue, freshCalls), () => 0, Stopwatch.StartNew());
            Assert.Empty(freshCalls);
            Assert.Equal(transposed, !fresh.weight!.is_contiguous());
            Assert.True(fresh.weight!.eq(trained.weight!).all().item<bool>(), $"loaded into the {(transposed ? "transposed" : "row")} layout");
            Assert.True(fresh.bias!.eq(trained.bias!).all().item<bool>());
        }
    }
}
