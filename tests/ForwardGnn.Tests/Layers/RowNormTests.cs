using ForwardGnn.Data;
using ForwardGnn.Layers;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Layers;

public class RowNormTests
{
    [Fact]
    public void RowsTimesTheirScalesAreTheNormalisedRows()
    {
        using var scope = NewDisposeScope();
        Tensor z = tensor(new float[] { 3, 4, 0, 0, 0, 0, 1, -2, 2 }, [3, 3]);

        Tensor expected = tensor(new float[] { 0.6f, 0.8f, 0, 0, 0, 0, 1 / 3f, -2 / 3f, 2 / 3f }, [3, 3]);
        Assert.True(RowNorm.Apply(z).allclose(expected, rtol: 1e-6, atol: 1e-7));
        Assert.True(z.mul(RowNorm.Scales(z)).allclose(expected, rtol: 1e-6, atol: 1e-7));
        Assert.Equal(1e8, RowNorm.Scales(z)[1, 0].item<float>(), 1);   // a zero row: 1 / ε, and it stays zero
    }

    [Fact]
    public void CsrScalesAreTheDenseOnes()
    {
        using var scope = NewDisposeScope();
        var csr = new CsrMatrix(3, 4, [0, 2, 2, 5], [0, 3, 1, 2, 3], [3, 4, 1, -2, 2]);
        Tensor dense = zeros(3, 4);
        dense[0, 0] = 3; dense[0, 3] = 4; dense[2, 1] = 1; dense[2, 2] = -2; dense[2, 3] = 2;

        Assert.True(tensor(RowNorm.Scales(csr)).unsqueeze(1).allclose(RowNorm.Scales(dense), rtol: 1e-6, atol: 0));
    }
}
