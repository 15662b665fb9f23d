using ForwardGnn.Data;
using static TorchSharp.torch;

namespace ForwardGnn.Training;

/// <summary>Hands a CSR feature matrix to libtorch: sparse COO when sparse, dense otherwise.</summary>
public static class FeatureTensor
{
    /// <summary>Density above which a dense tensor is cheaper than a sparse one.</summary>
    public const double DenseAbove = 0.25;

    public static Tensor From(CsrMatrix x, Device device)
    {
        if (x.Density > DenseAbove) return tensor(x.ToDense(), [x.Rows, x.Columns], device: device);
        var index = new long[2 * x.StoredCount];
        for (int r = 0; r < x.Rows; r++)
            for (int k = x.RowPointer[r]; k < x.RowPointer[r + 1]; k++)
            {
                index[k] = r;
                index[x.StoredCount + k] = x.ColumnIndex[k];
            }
        using Tensor indices = tensor(index, [2, x.StoredCount], device: device);
        using Tensor values = tensor(x.Values, device: device);
        return sparse_coo_tensor(indices, values, [x.Rows, x.Columns]);
    }
}
