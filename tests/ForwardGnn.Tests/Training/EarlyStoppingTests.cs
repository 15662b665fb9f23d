using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Training;

public class EarlyStoppingTests
{
    [Fact]
    public void StopsAfterPatienceChecksWithoutStrictImprovementAndRestoresBest()
    {
        using var scope = NewDisposeScope();
        var model = nn.Linear(2, 1);
        using var stopper = new EarlyStopping(patience: 2);
        Tensor weight = model.weight!;

        Assert.False(stopper.Check(50, 1, model));
        Tensor best = weight.detach().clone();
        using (no_grad()) weight.add_(1);
        Assert.False(stopper.Check(50, 3, model));    // equal is not better
        Assert.True(stopper.Check(49, 5, model));

        Assert.Equal(1, stopper.BestEpoch);
        Assert.True(stopper.RestoreBest(model));
        Assert.True(weight.allclose(best, rtol: 0, atol: 0));
    }
}
