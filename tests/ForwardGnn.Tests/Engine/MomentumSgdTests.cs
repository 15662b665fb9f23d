using ForwardGnn.Engine;
using ForwardGnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Engine;

public class MomentumSgdTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void UpdatesLikeLibTorchsSgd(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        Tensor[] expected = OptimizerRun.Train(dtype, ps =>
        {
            var sgd = optim.SGD(ps, 0.01, momentum: 0.9, weight_decay: 5e-2);
            return (() => sgd.zero_grad(), () => sgd.step());
        });
        Tensor[] actual = OptimizerRun.Train(dtype, ps =>
        {
            var sgd = new MomentumSgd(ps, 0.01, momentum: 0.9, weightDecay: 5e-2);
            return (sgd.ZeroGrad, sgd.Step);
        });

        for (int i = 0; i < expected.Length; i++)
            Assert.True(actual[i].allclose(expected[i], rtol: 1e-5, atol: 1e-6), $"parameter {i}: max difference {(actual[i] - expected[i]).abs().max().to_type(ScalarType.Float64).item<double>()}");
        Assert.False(expected[2].allclose(OptimizerRun.Train(dtype, ps => (() => { }, () => { }))[2]), "the parameters did not move");
    }
}
