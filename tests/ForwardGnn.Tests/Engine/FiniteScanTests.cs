using ForwardGnn.Engine;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Engine;

public class FiniteScanTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void FindsOneNonFiniteElementAnywhere(float bad)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        foreach (int n in new[] { 1, 7, 8, 9, 37, 1000 })   // the vector body, the tail, and both
            for (int at = 0; at < n; at += Math.Max(1, n / 9))
            {
                Tensor x = randn(n).mul(1e30);
                Assert.True(FiniteScan.AllFinite(x));
                x[at] = tensor(bad);
                Assert.False(FiniteScan.AllFinite(x), $"n = {n}, at = {at}");
                Assert.Equal(isfinite(x).all().item<bool>(), FiniteScan.AllFinite(x));
            }
    }

    [Fact]
    public void OtherTensorsTakeLibTorchsCheck()
    {
        using var scope = NewDisposeScope();
        Tensor strided = randn(6, 4).t();   // one block, laid out transposed: scanned through its transpose
        Assert.True(FiniteScan.AllFinite(strided));
        strided[1, 2] = tensor(float.NaN);
        Assert.False(FiniteScan.AllFinite(strided));
        Tensor columns = randn(9, 12).narrow(1, 2, 5);   // not one block: libtorch's check
        Assert.True(FiniteScan.AllFinite(columns));
        columns[8, 4] = tensor(float.NegativeInfinity);
        Assert.False(FiniteScan.AllFinite(columns));
        Assert.False(FiniteScan.AllFinite(columns.t()));
        Tensor doubles = randn(5, dtype: ScalarType.Float64);
        Assert.True(FiniteScan.AllFinite(doubles));
        doubles[4] = tensor(double.PositiveInfinity);
        Assert.False(FiniteScan.AllFinite(doubles));
    }

    [Fact]
    public void LargestFloatsAreFinite()
    {
        using var scope = NewDisposeScope();
        Assert.True(FiniteScan.AllFinite(tensor(new[] { float.MaxValue, float.MinValue, float.Epsilon, -0f, 0f, 1f, 2f, 3f, float.MaxValue })));
    }
}
