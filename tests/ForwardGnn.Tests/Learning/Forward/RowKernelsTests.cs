using ForwardGnn.Engine;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class RowKernelsTests
{
    [Theory]
    [InlineData(1, 2101, 130)]   // large: row blocks on the threads; a width off the vector length runs the tails
    [InlineData(2, 2101, 130)]
    [InlineData(2, 5, 7)]        // narrower than one vector
    public void NormalizedRowsAreThoseOfRowNorm(int threads, int rows, int width)
    {
        using var scope = NewDisposeScope();
        manual_seed(41);
        int saved = CsrKernels.MaxThreads;
        CsrKernels.MaxThreads = threads;
        try
        {
            Tensor z = randn(rows, width).mul(3);
            z[1].zero_();   // a zero row stays zero (the ε keeps it finite)
            Tensor normalized = RowKernels.Normalized(z);
            Assert.True(allclose(RowNorm.Apply(z), normalized, rtol: 1e-6, atol: 1e-7));
            Assert.Equal(0f, normalized[1].abs().sum().item<float>());
            Assert.True(allclose(normalized[0].norm(), tensor(1f), rtol: 1e-6));
        }
        finally
        {
            CsrKernels.MaxThreads = saved;
        }
    }

    [Theory]
    [InlineData(1, 2101, 130, 2)]   // large: row blocks on the threads; a width off the vector length runs the tails
    [InlineData(2, 2101, 130, 3)]
    [InlineData(1, 5, 7, 4)]        // narrower than one vector
    public void MeanWithIsLibTorchsAddThenDivideBitForBit(int threads, int rows, int width, int m)
    {
        using var scope = NewDisposeScope();
        manual_seed(43);
        int saved = CsrKernels.MaxThreads;
        CsrKernels.MaxThreads = threads;
        try
        {
            Tensor z = randn(rows, width).mul(5), a = randn(rows, width);
            Tensor expected = z.add(a).div_(m);
            Assert.True(RowKernels.MeanWith(z, a, m).equal(expected).all().item<bool>());
            Assert.True(TopToLossSweep.Merged(z, a, m).equal(expected).all().item<bool>());   // the sweep's merge takes the one pass
        }
        finally
        {
            CsrKernels.MaxThreads = saved;
        }
    }
}
