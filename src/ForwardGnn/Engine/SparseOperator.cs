using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Engine;

/// <summary>
/// A fixed sparse matrix S [Rows, Columns] (CSR, values in double precision) applied to dense tensors:
/// <see cref="Multiply"/> computes S · B for B [Columns, d] → [Rows, d], differentiable in B (∂/∂B = Sᵀ · grad).
/// On the CPU (float32 or float64) both directions run through <see cref="CsrKernels"/> with Sᵀ precomputed;
/// elsewhere a libtorch sparse COO product is used.
/// </summary>
internal sealed class SparseOperator : IDisposable
{
    private readonly Csr _forward;
    private readonly Csr _transposed;
    private Tensor? _coo;

    private sealed record Csr(int Rows, int[] Pointer, int[] Index, double[] Values)
    {
        public float[] Singles { get; } = ToSingles(Values);

        private static float[] ToSingles(double[] values)
        {
            var singles = new float[values.Length];
            for (int k = 0; k < values.Length; k++) singles[k] = (float)values[k];
            return singles;
        }
    }

    /// <summary>Builds S from coordinate triplets (any order; duplicates are kept and summed by the products).</summary>
    public SparseOperator(int rows, int columns, IReadOnlyList<int> rowIndex, IReadOnlyList<int> columnIndex, IReadOnlyList<double> values)
    {
        Rows = rows;
        Columns = columns;
        // Plain arrays for the passes below (interface calls per entry took about 10 ms on a 151k-entry matrix).
        int[] rowArray = rowIndex as int[] ?? [.. rowIndex], columnArray = columnIndex as int[] ?? [.. columnIndex];
        double[] valueArray = values as double[] ?? [.. values];
        _forward = Compress(rows, rowArray, columnArray, valueArray);
        _transposed = Compress(columns, columnArray, rowArray, valueArray);
    }

    public int Rows { get; }
    public int Columns { get; }
    public int StoredCount => _forward.Index.Length;

    /// <summary>S · B for B [Columns, d] (or [Columns]) → [Rows, d] (or [Rows]).</summary>
    public Tensor Multiply(Tensor b)
    {
        if (b.shape[0] != Columns) throw new ArgumentException($"operator has {Columns} columns but the input has {b.shape[0]} rows");
        if (b.dim() == 1) return Multiply(b.unsqueeze(1)).squeeze(1);
        if (b.device_type == DeviceType.CPU && b.dtype is ScalarType.Float32 or ScalarType.Float64)
            return CsrProduct.apply(this, b);
        _coo ??= BuildCoo(b.device).DetachFromDisposeScope();
        return _coo.to_type(b.dtype).mm(b);
    }

    /// <summary>
    /// S · B + 1 biasᵀ, then ReLU when <paramref name="relu"/> is set: B [Columns, d], bias [d] → [Rows, d],
    /// differentiable in B and bias. On the CPU in float32 the bias and the activation are applied in the product's
    /// registers and the backward masks the gradient in one pass; elsewhere this is Multiply, add and relu.
    /// </summary>
    public Tensor MultiplyAddBias(Tensor b, Tensor bias, bool relu)
    {
        if (b.shape[0] != Columns) throw new ArgumentException($"operator has {Columns} columns but the input has {b.shape[0]} rows");
        if (b.device_type == DeviceType.CPU && b.dtype == ScalarType.Float32 && bias.dtype == ScalarType.Float32 && b.dim() == 2)
            return CsrBiasProduct.apply(this, b, bias, relu);
        Tensor output = Multiply(b).add_(bias, HeldScalars.One);   // in place: no backward reads the product
        return relu ? output.relu_() : output;
    }

    /// <summary>Rows <paramref name="rows"/> of S · B, [|rows|, d], without gradient: only those rows of S are read.</summary>
    public unsafe Tensor MultiplyRows(Tensor rows, Tensor b)
    {
        if (b.shape[0] != Columns) throw new ArgumentException($"operator has {Columns} columns but the input has {b.shape[0]} rows");
        if (b.device_type != DeviceType.CPU || b.dtype != ScalarType.Float32 || b.dim() != 2) return Multiply(b).index_select(0, rows);
        int[] selected = IndexArrays.From(rows);
        using Tensor input = b.detach().contiguous();
        int d = (int)input.shape[1];
        Tensor output = empty(selected.Length, d, dtype: input.dtype);
        fixed (byte* x = input.bytes)
        fixed (byte* y = output.bytes)
            CsrKernels.MultiplyRows(selected, _forward.Pointer, _forward.Index, _forward.Singles, (float*)x, (float*)y, d);
        return output;
    }

    /// <summary>
    /// S · B + 1 biasᵀ (then ReLU when <paramref name="relu"/> is set) without autograd, into a new [Rows, d] tensor
    /// written row by row (no zero fill): B [Columns, d] float32 or float64 on the CPU; the bias and ReLU in float32 only.
    /// </summary>
    internal Tensor Product(Tensor b, Tensor? bias = null, bool relu = false) => Apply(false, b, bias, relu);

    /// <summary>
    /// Rows [<paramref name="first"/>, <paramref name="last"/>) of S · B written into those rows of
    /// <paramref name="output"/> [Rows, d] (contiguous float32 CPU), on this thread, without autograd: calls over
    /// a split of the rows make <see cref="Product"/>'s numbers bit for bit.
    /// </summary>
    internal unsafe void ProductInto(Tensor b, Tensor output, int first, int last)
    {
        using Tensor input = b.detach().contiguous();
        int d = (int)input.shape[1];
        fixed (byte* x = input.bytes)
        fixed (byte* y = output.bytes)
            CsrKernels.MultiplyRange(first, last, _forward.Pointer, _forward.Index, _forward.Singles, (float*)x, (float*)y, d);
    }

    /// <summary>The first row of the second half of S's stored entries: splits the rows into two equal shares of work.</summary>
    internal int MiddleRow
    {
        get
        {
            int row = Array.BinarySearch(_forward.Pointer, _forward.Index.Length / 2);
            return Math.Clamp(row >= 0 ? row : ~row, 0, Rows);
        }
    }

    /// <summary>Sᵀ · G without autograd: G [Rows, d] → [Columns, d], every output row written (rows no entry reaches are 0).</summary>
    internal Tensor TransposedProduct(Tensor g) => Apply(true, g);

    /// <summary>
    /// Sᵀ · G for float32 G [Rows, d] → [Columns, d] by adding each stored entry's share into a zeroed output, on this
    /// thread: for an operator with few stored entries and many columns (a few rows of Â) cheaper than
    /// <see cref="TransposedProduct"/>'s pass over every output row.
    /// </summary>
    internal unsafe Tensor ScatterTransposed(Tensor g)
    {
        using Tensor input = g.detach().contiguous();
        int d = (int)input.shape[1];
        Tensor output = zeros(Columns, d, dtype: ScalarType.Float32);
        float[] values = _forward.Singles;
        fixed (byte* x = input.bytes)
        fixed (byte* y = output.bytes)
        {
            float* source = (float*)x, target = (float*)y;
            for (int r = 0; r < Rows; r++)
                for (int k = _forward.Pointer[r]; k < _forward.Pointer[r + 1]; k++)
                {
                    float* to = target + (long)_forward.Index[k] * d, from = source + (long)r * d;
                    float v = values[k];
                    for (int j = 0; j < d; j++) to[j] += v * from[j];
                }
        }
        return output;
    }

    /// <summary>
    /// The operator S[rows, :] [|rows|, Columns]: the listed rows of S in their order, each with its entries in S's order
    /// (its products give those rows of S's bit for bit), and its transpose for <see cref="TransposedProduct"/>.
    /// </summary>
    internal SparseOperator SelectRows(IReadOnlyList<int> rows)
    {
        int count = 0;
        foreach (int r in rows) count += _forward.Pointer[r + 1] - _forward.Pointer[r];
        var rowIndex = new int[count];
        var columnIndex = new int[count];
        var values = new double[count];
        int k = 0;
        for (int i = 0; i < rows.Count; i++)
            for (int e = _forward.Pointer[rows[i]]; e < _forward.Pointer[rows[i] + 1]; e++, k++)
                (rowIndex[k], columnIndex[k], values[k]) = (i, _forward.Index[e], _forward.Values[e]);
        return new SparseOperator(rows.Count, Columns, rowIndex, columnIndex, values);
    }

    /// <summary>Plain (non-autograd) product with either CSR form, writing a new tensor; the bias and ReLU as in <see cref="MultiplyAddBias"/> (float32 only).</summary>
    private unsafe Tensor Apply(bool transposed, Tensor b, Tensor? bias = null, bool relu = false)
    {
        Csr s = transposed ? _transposed : _forward;
        using Tensor input = b.detach().contiguous();
        using Tensor? shift = bias?.detach().contiguous();
        int d = (int)input.shape[1];
        Tensor output = empty(s.Rows, d, dtype: input.dtype);
        fixed (byte* x = input.bytes)
        fixed (byte* y = output.bytes)
        fixed (byte* z = shift is null ? null : shift.bytes)
        {
            if (input.dtype == ScalarType.Float32) CsrKernels.Multiply(s.Rows, s.Pointer, s.Index, s.Singles, (float*)x, (float*)y, d, (float*)z, relu);
            else CsrKernels.Multiply(s.Rows, s.Pointer, s.Index, s.Values, (double*)x, (double*)y, d);
        }
        return output;
    }

    private static Csr Compress(int rows, int[] rowIndex, int[] columnIndex, double[] values)
    {
        var pointer = new int[rows + 1];
        for (int k = 0; k < rowIndex.Length; k++) pointer[rowIndex[k] + 1]++;
        for (int r = 0; r < rows; r++) pointer[r + 1] += pointer[r];
        int[] next = pointer[..^1];
        var index = new int[rowIndex.Length];
        var data = new double[rowIndex.Length];
        for (int k = 0; k < rowIndex.Length; k++)
        {
            int slot = next[rowIndex[k]]++;
            index[slot] = columnIndex[k];
            data[slot] = values[k];
        }
        return new Csr(rows, pointer, index, data);
    }

    private Tensor BuildCoo(Device device)
    {
        var index = new long[2 * StoredCount];
        for (int r = 0; r < Rows; r++)
            for (int k = _forward.Pointer[r]; k < _forward.Pointer[r + 1]; k++)
            {
                index[k] = r;
                index[StoredCount + k] = _forward.Index[k];
            }
        using Tensor indices = tensor(index, [2, StoredCount], device: device);
        using Tensor data = tensor(_forward.Values, device: device);
        return sparse_coo_tensor(indices, data, [Rows, Columns]);
    }

    public void Dispose() => _coo?.Dispose();

    /// <summary>
    /// Autograd node of <see cref="MultiplyAddBias"/>: forward Y = act(S · B + bias); backward with the masked
    /// gradient G' = G ⊙ [Y &gt; 0] (G itself without ReLU): ∂/∂B = Sᵀ · G', ∂/∂bias = Σ_rows G'.
    /// </summary>
    private sealed class CsrBiasProduct : autograd.SingleTensorFunction<CsrBiasProduct>
    {
        public override string Name => nameof(CsrBiasProduct);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var op = (SparseOperator)vars[0];
            bool relu = (bool)vars[3];
            Tensor output = op.Apply(false, (Tensor)vars[1], (Tensor)vars[2], relu);
            ctx.save_data("op", op);
            if (relu) ctx.save_for_backward([output]);
            return output;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            var op = (SparseOperator)ctx.get_data("op");
            Tensor masked = ctx.get_saved_variables() is [Tensor output] ? ZeroWhereNotPositive(grad, output) : grad;
            return [null!, op.Apply(true, masked), masked.sum(0L), null!];
        }

        /// <summary>g where y &gt; 0, else 0 (libtorch's <c>threshold_backward</c> at 0), in one pass on this thread.</summary>
        private static unsafe Tensor ZeroWhereNotPositive(Tensor grad, Tensor output)
        {
            using Tensor g = grad.contiguous();
            Tensor masked = empty_like(g);
            long n = g.numel(), i = 0;
            fixed (byte* gb = g.bytes)
            fixed (byte* yb = output.bytes)
            fixed (byte* mb = masked.bytes)
            {
                float* gp = (float*)gb, yp = (float*)yb, mp = (float*)mb;
                for (; i + 8 <= n; i += 8)
                {
                    Vector256<float> notPositive = Vector256.LessThanOrEqual(Vector256.Load(yp + i), Vector256<float>.Zero);
                    Vector256.AndNot(Vector256.Load(gp + i), notPositive).Store(mp + i);
                }
                for (; i < n; i++) mp[i] = yp[i] <= 0 ? 0 : gp[i];
            }
            return masked;
        }
    }

    /// <summary>Autograd node: forward S · B, backward Sᵀ · grad.</summary>
    private sealed class CsrProduct : autograd.SingleTensorFunction<CsrProduct>
    {
        public override string Name => nameof(CsrProduct);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var op = (SparseOperator)vars[0];
            ctx.save_data("op", op);
            return op.Apply(false, (Tensor)vars[1]);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad) =>
            [null!, ((SparseOperator)ctx.get_data("op")).Apply(true, grad)];
    }
}
