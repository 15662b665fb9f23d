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

        OptimizerRun.AssertSameParameters(dtype, expected, actual);
    }
}
