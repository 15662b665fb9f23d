using ForwardGnn.Engine;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Engine;

public class SparseOperatorRowsTests
{
    /// <summary>S [9, 11] with a duplicate entry, an empty row and columns no entry reaches.</summary>
    private static SparseOperator Operator() => new(9, 11,
        [0, 0, 2, 2, 2, 3, 5, 5, 7, 8, 8],
        [1, 4, 0, 4, 4, 9, 1, 2, 6, 0, 3],
        [0.5, -1.0, 2.0, 0.25, 0.75, 1.5, -0.5, 3.0, 1.0, -2.0, 0.125]);

    [Fact]
    public void SelectedRowsAndTheirScatteredTransposeEqualTheWholeOperators()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using SparseOperator s = Operator();
        int[] rows = [8, 2, 4, 0];   // out of order, with an empty row
        using SparseOperator selected = s.SelectRows(rows);
        Tensor b = randn(11, 7), bias = randn(7), g = randn(rows.Length, 7);
        Tensor picked = tensor(rows.Select(r => (long)r).ToArray());

        Assert.True(s.Product(b, bias).index_select(0, picked).eq(selected.Product(b, bias)).all().item<bool>());
        Tensor spread = zeros(9, 7).index_copy(0, picked, g);   // g in the selected rows of a [9, 7] gradient
        Tensor expected = s.TransposedProduct(spread);
        Assert.True(allclose(expected, selected.TransposedProduct(g), rtol: 1e-6, atol: 1e-6));
        Assert.True(allclose(expected, selected.ScatterTransposed(g), rtol: 1e-6, atol: 1e-6));
        Assert.True(selected.ScatterTransposed(g)[10].eq(0).all().item<bool>());   // a column no entry reaches
    }
}
