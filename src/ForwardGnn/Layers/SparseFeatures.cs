using System.Runtime.CompilerServices;
using ForwardGnn.Data;
using ForwardGnn.Engine;
using static TorchSharp.torch;

namespace ForwardGnn.Layers;

/// <summary>
/// Sparse node features that layers multiply through a <see cref="SparseOperator"/> (CSR kernels) instead of
/// libtorch's COO product. The tensor handed to layers is an ordinary sparse COO tensor, so every code path still
/// works; a layer that sees one created here uses the operator kept beside it.
/// </summary>
internal static class SparseFeatures
{
    private static readonly ConditionalWeakTable<Tensor, SparseOperator> Known = new();

    /// <summary>A sparse COO tensor of <paramref name="x"/> whose products with weights use the CSR kernels.</summary>
    public static Tensor Create(CsrMatrix x, Device device)
    {
        int stored = x.StoredCount;
        var rows = new int[stored];
        for (int r = 0; r < x.Rows; r++) rows.AsSpan(x.RowPointer[r], x.RowPointer[r + 1] - x.RowPointer[r]).Fill(r);
        var values64 = new double[stored];
        var coordinates = new long[2 * stored];   // COO indices [2, nnz]: the rows, then the columns
        for (int k = 0; k < stored; k++)
        {
            values64[k] = x.Values[k];
            coordinates[k] = rows[k];
            coordinates[stored + k] = x.ColumnIndex[k];
        }
        var op = new SparseOperator(x.Rows, x.Columns, rows, x.ColumnIndex, values64);
        using Tensor indices = tensor(coordinates, [2, stored], device: device);
        using Tensor values = tensor(x.Values, device: device);
        Tensor result = sparse_coo_tensor(indices, values, [x.Rows, x.Columns]);
        Known.Add(result, op);
        return result;
    }

    /// <summary>The operator kept beside sparse features created here (its products are x's); null for any other tensor.</summary>
    public static SparseOperator? OperatorOf(Tensor x) => x.is_sparse && Known.TryGetValue(x, out SparseOperator? op) ? op : null;

    /// <summary>
    /// ∂L/∂W [out, F] of rows Z_R = Â[R, :] (x Wᵀ) + b of a layer on sparse features x [N, F], for G = ∂L/∂Z_R
    /// [|R|, out]: (xᵀ (Â[R, :]ᵀ G))ᵀ by two transposed CSR products, Â[R, :] never applied to x. Without autograd, in
    /// W's layout (<see cref="ParameterLayout"/>).
    /// </summary>
    /// <param name="features">x's operator (<see cref="OperatorOf"/>).</param>
    /// <param name="rowsAdjacency">Â[R, :] [|R|, N] (<see cref="SparseOperator.SelectRows"/>).</param>
    /// <param name="rowsGrad">G [|R|, out].</param>
    /// <param name="weight">W, whose layout the gradient takes.</param>
    internal static Tensor WeightGradient(SparseOperator features, SparseOperator rowsAdjacency, Tensor rowsGrad, Tensor weight)
    {
        using Tensor throughAdjacency = rowsAdjacency.TransposedProduct(rowsGrad);   // Â[R, :]ᵀ G, [N, out]: each row gathered once
        Tensor transposed = features.TransposedProduct(throughAdjacency);   // xᵀ Â[R, :]ᵀ G = (∂L/∂W)ᵀ, [F, out]
        return ParameterLayout.FromTransposed(transposed, weight);
    }

    /// <summary>x Wᵀ: x [N, F] (dense, sparse, or created here), W [out, F] → [N, out], differentiable in W.</summary>
    public static Tensor Project(Tensor x, Tensor weight)
    {
        if (!x.is_sparse) return DenseProjection.Apply(x, weight);
        return Known.TryGetValue(x, out SparseOperator? op) ? op.Multiply(weight.t()) : x.mm(weight.t());
    }
}
