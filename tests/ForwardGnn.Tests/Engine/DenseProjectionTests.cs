using ForwardGnn.Engine;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Engine;

public class DenseProjectionTests
{
    [Theory]
    [InlineData(true, true, 7)]
    [InlineData(false, true, 7)]
    [InlineData(true, false, 16)]
    [InlineData(false, true, 16)]
    public void ValueAndGradientsAreThoseOfLibTorchsMatmul(bool xNeedsGrad, bool weightNeedsGrad, int outputs)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        Tensor x0 = randn(37, 12), w0 = randn(outputs, 12), upstream = randn(37, outputs);
        Tensor x = x0.clone().requires_grad_(xNeedsGrad), w = w0.clone().requires_grad_(weightNeedsGrad);
        Tensor xr = x0.clone().requires_grad_(xNeedsGrad), wr = w0.clone().requires_grad_(weightNeedsGrad);

        Tensor y = DenseProjection.Apply(x, w), reference = xr.matmul(wr.t());
        Assert.True(allclose(y, reference, rtol: 1e-6, atol: 1e-6));
        y.backward([upstream]);
        reference.backward([upstream]);
        if (xNeedsGrad) Assert.True(allclose(x.grad!, xr.grad!, rtol: 1e-5, atol: 1e-6));
        else Assert.Null(x.grad);
        if (weightNeedsGrad) Assert.True(allclose(w.grad!, wr.grad!, rtol: 1e-5, atol: 1e-6));
        else Assert.Null(w.grad);
    }

    [Fact]
    public void AViewOfAWeightPassesItsGradientToTheWholeParameter()
    {
        // SAGE projects through two row blocks of one parameter, and a block projection through a column block.
        using var scope = NewDisposeScope();
        manual_seed(12);
        Tensor x = randn(9, 6), upstream = randn(9, 4);
        Tensor w = randn(8, 6).requires_grad_(), wr = w.detach().clone().requires_grad_();
        DenseProjection.Apply(x, w.narrow(0, 4, 4)).backward([upstream]);
        x.matmul(wr.narrow(0, 4, 4).t()).backward([upstream]);
        Assert.True(allclose(w.grad!, wr.grad!, rtol: 1e-5, atol: 1e-6));
        Assert.Equal(0, w.grad!.narrow(0, 0, 4).abs().sum().item<float>());

        Tensor v = randn(4, 10).requires_grad_(), vr = v.detach().clone().requires_grad_();
        DenseProjection.Apply(x, v.narrow(1, 2, 6)).backward([upstream]);
        x.matmul(vr.narrow(1, 2, 6).t()).backward([upstream]);
        Assert.True(allclose(v.grad!, vr.grad!, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void WithoutGradientItIsAPlainProduct()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(5, 3), w = randn(2, 3).requires_grad_();
        using (no_grad())
            Assert.False(DenseProjection.Apply(x, w).requires_grad);
    }
}
