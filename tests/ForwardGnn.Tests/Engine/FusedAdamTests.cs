using ForwardGnn.Engine;
using ForwardGnn.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Engine;

public class FusedAdamTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]   // the fused pass
    [InlineData(ScalarType.Float64)]   // the fallback through libtorch operations
    public void UpdatesLikeLibTorchsAdam(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        Tensor[] expected = OptimizerRun.Train(dtype, ps =>
        {
            var adam = optim.Adam(ps, lr: 0.05, weight_decay: 5e-2);
            return (() => adam.zero_grad(), () => adam.step());
        });
        Tensor[] actual = OptimizerRun.Train(dtype, ps =>
        {
            var adam = new FusedAdam(ps, lr: 0.05, weightDecay: 5e-2);
            return (adam.ZeroGrad, adam.Step);
        });

        OptimizerRun.AssertSameParameters(dtype, expected, actual);
    }

    [Fact]
    public void ZeroGradClearsEveryGradient()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(4));
        using var adam = new FusedAdam([p], lr: 0.1);
        p.mul(3).sum().backward();
        Assert.Equal(3f, p.grad!.max().item<float>());
        adam.ZeroGrad();
        Assert.Null(p.grad);
        p.mul(2).sum().backward();                       // the next gradient is not added to the old one
        Assert.Equal(2f, p.grad!.max().item<float>());
        adam.Step();                                     // a parameter without gradient is left as it is, like optim.Adam
        var untouched = new Parameter(ones(2));
        using var other = new FusedAdam([untouched], lr: 0.1, weightDecay: 0.5);
        other.Step();
        Assert.Equal(1f, untouched.min().item<float>());
    }
}
