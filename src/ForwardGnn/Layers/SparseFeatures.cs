using System.Runtime.CompilerServices;
using ForwardGnn.Data;
using ForwardGnn.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Layers;

/// <summary>
/// Sparse node features that layers multiply with our CSR kernels instead of libtorch's COO product. The tensor
/// given to layers is an ordinary sparse COO tensor (so any code path still works); layers that see one created
/// here use the CSR form kept beside it. Only float32 on the CPU takes the fast path.
/// </summary>
public static class SparseFeatures
{
    private sealed record Csr(CsrMatrix Rows, CsrMatrix Columns);

    private static readonly ConditionalWeakTable<Tensor, Csr> Known = new();

    /// <summary>A sparse COO tensor of <paramref name="x"/> whose products with weights use the CSR kernels.</summary>
    public static Tensor Create(CsrMatrix x, Device device)
    {
        var index = new long[2 * x.StoredCount];
        for (int r = 0; r < x.Rows; r++)
            for (int k = x.RowPointer[r]; k < x.RowPointer[r + 1]; k++)
            {
                index[k] = r;
                index[x.StoredCount + k] = x.ColumnIndex[k];
            }
        using Tensor indices = tensor(index, [2, x.StoredCount], device: device);
        using Tensor values = tensor(x.Values, device: device);
        Tensor result = sparse_coo_tensor(indices, values, [x.Rows, x.Columns]);
        if (device.type == DeviceType.CPU) Known.Add(result, new Csr(x, CsrKernels.Transpose(x)));
        return result;
    }

    /// <summary>x Wᵀ: x [N, F] (dense, sparse, or created here), W [out, F] → [N, out], differentiable in W.</summary>
    public static Tensor Project(Tensor x, Tensor weight)
    {
        if (!x.is_sparse) return x.matmul(weight.t());
        if (weight.dtype != ScalarType.Float32 || !Known.TryGetValue(x, out Csr? csr)) return x.mm(weight.t());
        return CsrProjection.apply(csr.Rows, csr.Columns, weight);
    }

    /// <summary>Autograd node: forward X Wᵀ, backward dW = (Xᵀ G)ᵀ, both through the CSR kernels.</summary>
    private sealed class CsrProjection : autograd.SingleTensorFunction<CsrProjection>
    {
        public override string Name => nameof(CsrProjection);

        public override unsafe Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var rows = (CsrMatrix)vars[0];
            var columns = (CsrMatrix)vars[1];
            var weight = (Tensor)vars[2];
            ctx.save_data("columns", columns);
            ctx.save_data("shape", weight.shape);
            using Tensor weightT = weight.detach().t().contiguous();       // [F, out]
            int d = (int)weightT.shape[1];
            Tensor output = empty(rows.Rows, d, dtype: ScalarType.Float32);
            fixed (byte* w = weightT.bytes)
            fixed (byte* y = output.bytes)
                CsrKernels.Multiply(rows, (float*)w, (float*)y, d);
            return output;
        }

        public override unsafe List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            var columns = (CsrMatrix)ctx.get_data("columns");
            using Tensor g = grad.contiguous();
            int d = (int)g.shape[1];
            using Tensor gradT = empty(columns.Rows, d, dtype: ScalarType.Float32);   // [F, out]
            fixed (byte* gp = g.bytes)
            fixed (byte* y = gradT.bytes)
                CsrKernels.MultiplyTransposed(columns, (float*)gp, (float*)y, d);
            return [null!, null!, gradT.t().contiguous()];
        }
    }
}
