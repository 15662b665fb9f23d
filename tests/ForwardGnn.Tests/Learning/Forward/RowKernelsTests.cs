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

    [Theory]
    [InlineData(0, 130)]   // the top layer: the gathered rows alone
    [InlineData(1, 130)]
    [InlineData(3, 19)]    // a width off the vector length: the tails run too
    public void MergedRowsAreTheGatheredSumAndMeanBitForBit(int statesAbove, int width)
    {
        using var scope = NewDisposeScope();
        manual_seed(47);
        int[] rows = [7, 3, 3, 40, 0, 12];
        Tensor index = tensor(rows.Select(r => (long)r).ToArray());
        Tensor z = randn(41, width).mul(4);
        Tensor[] above = Enumerable.Range(0, statesAbove).Select(_ => randn(rows.Length, width)).ToArray();
        Tensor expected = TopToLossSweep.Merged(z.index_select(0, index),
            TopToLossSweep.SumAbove(0, statesAbove, k => above[k - 1]), statesAbove + 1);
        Assert.True(RowKernels.MergedRows(z, rows, above).equal(expected).all().item<bool>());
    }

    [Fact]
    public void GatheredMaskIsTheMaskOfTheGatheredRows()
    {
        using var scope = NewDisposeScope();
        manual_seed(53);
        int[] rows = [5, 1, 1, 8];
        Tensor z = randn(9, 21), grad = randn(rows.Length, 21);
        Tensor gathered = grad.clone(), plain = grad.clone();
        Tensor gatheredSum = zeros(21), plainSum = zeros(21);
        RowKernels.MaskByPositiveAndSum(gathered, z, rows, gatheredSum);
        RowKernels.MaskByPositiveAndSum(plain, z.index_select(0, tensor(rows.Select(r => (long)r).ToArray())), plainSum);
        Assert.True(gathered.equal(plain).all().item<bool>());
        Assert.True(gatheredSum.equal(plainSum).all().item<bool>());
        Assert.True(gathered.eq(0).any().item<bool>() && gathered.ne(0).any().item<bool>());   // some masked, some kept
    }
}
