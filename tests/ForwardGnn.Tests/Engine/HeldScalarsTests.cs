using ForwardGnn.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Engine;

public class HeldScalarsTests
{
    [Fact]
    public void SameValueGivesTheSameScalarAndItOutlivesCollections()
    {
        Scalar theta = HeldScalars.Of(2.0);
        Assert.Same(theta, HeldScalars.Of(2.0));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var scope = NewDisposeScope();
        Assert.Equal(-1f, tensor(new float[] { 1 }).sub(HeldScalars.Of(2.0)).item<float>());
        Assert.Equal(2.0, theta.ToDouble());
    }
}
