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
    public void AMatrixLaidOutTransposedUpdatesAsAContiguousOne()
    {
        // The one-pass update runs over the memory block; for a transposed layout the gradient and moments must be
        // laid out alike, and a gradient laid out otherwise takes the libtorch path: all three give the same numbers.
        using var scope = NewDisposeScope();
        manual_seed(8);
        Tensor start = randn(9, 13);
        Tensor[] grads = [randn(9, 13), randn(9, 13), randn(9, 13)];
        Tensor Train(bool transposedParameter, bool transposedGrad)
        {
            var p = new Parameter(transposedParameter ? start.t().contiguous().t() : start.clone());
            Assert.Equal(transposedParameter, !p.is_contiguous());
            using var adam = new FusedAdam([p], lr: 0.05, weightDecay: 5e-2);
            foreach (Tensor g in grads)
            {
                p.grad = transposedGrad ? g.t().contiguous().t() : g.clone();
                adam.Step();
            }
            return p.detach().contiguous();
        }
        Tensor plain = Train(false, false);
        Assert.True(plain.ne(start).all().item<bool>());
        Assert.True(plain.eq(Train(true, true)).all().item<bool>(), "transposed parameter and gradient");
        Assert.True(allclose(plain, Train(true, false), rtol: 1e-6, atol: 1e-7), "transposed parameter, plain gradient");
    }

    [Fact]
    public void ALargeParameterUpdatedOnTwoThreadsEqualsOneThreadAndLibTorch()
    {
        // Above the parallel threshold, with a length off the vector width: the ranges must cover every element once.
        using var scope = NewDisposeScope();
        manual_seed(9);
        Tensor start = randn(70_001);
        Tensor[] grads = [randn(70_001), randn(70_001), randn(70_001)];
        Tensor Train(int threads)
        {
            int saved = CsrKernels.MaxThreads;
            CsrKernels.MaxThreads = threads;
            try
            {
                var p = new Parameter(start.clone());
                using var adam = new FusedAdam([p], lr: 0.05, weightDecay: 5e-2);
                foreach (Tensor g in grads)
                {
                    p.grad = g.clone();
                    adam.Step();
                }
                return p.detach().clone();
            }
            finally
            {
                CsrKernels.MaxThreads = saved;
            }
        }
        var reference = new Parameter(start.clone());
        var libtorch = optim.Adam([reference], lr: 0.05, weight_decay: 5e-2);
        foreach (Tensor g in grads)
        {
            reference.grad = g.clone();
            libtorch.step();
        }
        Tensor one = Train(1);
        Assert.True(one.eq(Train(2)).all().item<bool>());
        Assert.True(allclose(reference.detach(), one, rtol: 1e-5, atol: 1e-6));
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
