using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Engine;

public class LibTorchTests
{
    [Fact]
    public void SparseTimesDenseMatchesDenseReference()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var dense = rand(30, 20, generator: generator);
        dense = dense * (dense > 0.8f).to_type(ScalarType.Float32);
        var nonzero = dense.nonzero().t();
        var values = dense[nonzero[0], nonzero[1]];
        var sparse = sparse_coo_tensor(nonzero, values, [30, 20]);
        var right = randn(20, 8, generator: generator);

        var expected = dense.matmul(right);
        var actual = sparse.mm(right);

        Assert.True(nonzero.shape[1] > 0);
        Assert.True(allclose(expected, actual, rtol: 1e-5, atol: 1e-6));
    }
}
