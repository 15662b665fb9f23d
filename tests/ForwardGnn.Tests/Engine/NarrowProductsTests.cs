using ForwardGnn.Engine;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Engine;

public class NarrowProductsTests
{
    [Theory]
    [InlineData(37, 19, 5, 1)]      // widths off the vector length: the tails run
    [InlineData(37, 16, 1, 1)]
    [InlineData(2101, 130, 7, 1)]   // large enough for row blocks on the compute threads
    [InlineData(2101, 130, 7, 2)]
    public void ProjectionAndItsBackwardEqualLibTorchs(int n, int width, int c, int threads)
    {
        using var scope = NewDisposeScope();
        manual_seed(41);
        int saved = CsrKernels.MaxThreads;
        CsrKernels.MaxThreads = threads;
        try
        {
            Tensor h = randn(n, width).relu(), weight = randn(c, width), dq = randn(n, c);
            Assert.True(allclose(h.mm(weight.t()), NarrowProducts.Project(h, weight), rtol: 1e-5, atol: 1e-5), "Q");

            (Tensor weightGrad, Tensor masked, Tensor biasGrad) = NarrowProducts.Backward(dq, h, weight);
            Tensor expectedMasked = where(h.gt(0), dq.mm(weight), zeros(n, width));
            Assert.True(allclose(dq.t().mm(h), weightGrad, rtol: 1e-4, atol: 1e-3), "∂W");
            Assert.True(allclose(expectedMasked, masked, rtol: 1e-5, atol: 1e-5), "masked ∂h");
            Assert.True(masked.eq(0).logical_or(h.gt(0)).all().item<bool>(), "the mask");
            Assert.True(allclose(expectedMasked.sum(0L), biasGrad, rtol: 1e-4, atol: 1e-3), "bias gradient");
        }
        finally
        {
            CsrKernels.MaxThreads = saved;
        }
    }
}
