using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ForwardGnn.Engine;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// Single passes over the rows of contiguous float32 CPU matrices for the written-out steps (<see cref="SingleForwardGcnStep"/>,
/// <see cref="TopToLossGcnStep"/>): the bias and ReLU in place, SF-Top-To-Loss's merge, softmax cross-entropy with its
/// gradient in place, the ReLU mask with the bias gradient, and the row normalisation.
/// </summary>
internal static unsafe class RowKernels
{
    /// <summary>Whether the passes here can read <paramref name="t"/> in place: a contiguous float32 matrix on the CPU.</summary>
    public static bool CanRead(Tensor t) =>
        t.dim() == 2 && t.is_contiguous() && t.dtype == ScalarType.Float32 && t.device_type == TorchSharp.DeviceType.CPU;

    /// <summary>z ← max(z + 1 bᵀ, 0) for z [R, H], b [H]; row blocks on the compute threads when z is large.</summary>
    public static void AddBiasRelu(Tensor z, Tensor bias)
    {
        int h = (int)z.shape[1];
        long rows = z.shape[0];
        using Tensor b = bias.contiguous();
        fixed (byte* zb = z.bytes, bb = b.bytes)
        {
            nint zAddress = (nint)zb, bAddress = (nint)bb;
            ForRowBlocks(rows, h, (first, last) => AddBiasRelu((float*)zAddress, (float*)bAddress, h, first, last));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from its first call: no slow first tier
    private static void AddBiasRelu(float* zp, float* bp, int h, long first, long last)
    {
        for (long r = first; r < last; r++)
        {
            float* row = zp + r * h;
            int i = 0;
            for (; i + 8 <= h; i += 8)
                Vector256.Max(Vector256.Load(row + i) + Vector256.Load(bp + i), Vector256<float>.Zero).Store(row + i);
            for (; i < h; i++) row[i] = MathF.Max(row[i] + bp[i], 0);
        }
    }

    /// <summary>Below this many elements a pass runs on the calling thread: a fork costs more than it saves.</summary>
    private const long ParallelAbove = 1 << 18;

    /// <summary>Runs <paramref name="body"/>(first, last) over row ranges covering [0, rows): in blocks on the compute threads when large.</summary>
    private static void ForRowBlocks(long rows, int h, Action<long, long> body)
    {
        int threads = CsrKernels.ThreadsHere;
        if (threads <= 1 || rows * h < ParallelAbove)
        {
            body(0, rows);
            return;
        }
        int blocks = 4 * threads;
        OpenMpTeam.For(blocks, threads, i => body(rows * i / blocks, rows * (i + 1) / blocks));
    }

    /// <summary>
    /// (z + a) / m for z, a [R, H] contiguous float32 CPU matrices, into a new tensor in one pass: the same numbers as
    /// libtorch's <c>add</c> then <c>div_</c> by m (each element rounded after the sum and after the division).
    /// </summary>
    public static Tensor MeanWith(Tensor z, Tensor a, int m)
    {
        int h = (int)z.shape[1];
        long rows = z.shape[0];
        Tensor output = empty_like(z);
        fixed (byte* zb = z.bytes, ab = a.bytes, ob = output.bytes)
        {
            nint zAddress = (nint)zb, aAddress = (nint)ab, oAddress = (nint)ob;
            ForRowBlocks(rows, h, (first, last) => MeanWith((float*)zAddress, (float*)aAddress, (float*)oAddress, m, first * h, last * h));
        }
        return output;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from its first call: no slow first tier
    private static void MeanWith(float* z, float* a, float* output, int m, long first, long last)
    {
        float divisor = m;
        var divisors = Vector256.Create(divisor);
        long i = first;
        for (; i + 8 <= last; i += 8) ((Vector256.Load(z + i) + Vector256.Load(a + i)) / divisors).Store(output + i);
        for (; i < last; i++) output[i] = (z[i] + a[i]) / divisor;
    }

    /// <summary>
    /// SF-Top-To-Loss's merge on gathered rows, in one pass: M[i] = (z[rows[i]] + a[i]) / m with
    /// a = s_{ℓ+1} + (s_{ℓ+2} + (… + s_L)) summed from the top down as <see cref="TopToLossSweep.SumAbove"/> sums it,
    /// m = |above| + 1; M[i] = z[rows[i]] when nothing is above. z [N, H], each of <paramref name="above"/> [|rows|, H]
    /// (s_{ℓ+1}[rows] … s_L[rows]), all contiguous float32 on the CPU → [|rows|, H]. Bit for bit the gather, the sum
    /// and <see cref="MeanWith(Tensor, Tensor, int)"/>.
    /// </summary>
    public static Tensor MergedRows(Tensor z, int[] rows, IReadOnlyList<Tensor> above)
    {
        int h = (int)z.shape[1];
        if (!z.is_contiguous() || above.Any(a => !a.is_contiguous() || a.shape[0] != rows.Length || a.shape[1] != h))
            throw new ArgumentException("the merge reads contiguous rows: z [N, H] and each state above [|rows|, H]");
        Tensor output = empty(rows.Length, h, dtype: ScalarType.Float32);
        var states = new nint[above.Count];
        for (int k = 0; k < above.Count; k++) states[k] = (nint)Address(above[k]);
        MergedRows(Address(z), rows, states, Address(output), h);
        return output;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from its first call: no slow first tier
    private static void MergedRows(float* z, int[] rows, nint[] above, float* output, int h)
    {
        int count = above.Length;
        float divisor = count + 1;
        var divisors = Vector256.Create(divisor);
        for (int i = 0; i < rows.Length; i++)
        {
            float* zr = z + (long)rows[i] * h, target = output + (long)i * h;
            long offset = (long)i * h;
            int j = 0;
            if (count == 0)
            {
                new ReadOnlySpan<float>(zr, h).CopyTo(new Span<float>(target, h));
                continue;
            }
            for (; j + 8 <= h; j += 8)
            {
                Vector256<float> sum = Vector256.Load((float*)above[count - 1] + offset + j);
                for (int k = count - 2; k >= 0; k--) sum = Vector256.Load((float*)above[k] + offset + j) + sum;
                ((Vector256.Load(zr + j) + sum) / divisors).Store(target + j);
            }
            for (; j < h; j++)
            {
                float sum = ((float*)above[count - 1])[offset + j];
                for (int k = count - 2; k >= 0; k--) sum = ((float*)above[k])[offset + j] + sum;
                target[j] = (zr[j] + sum) / divisor;
            }
        }
    }

    /// <summary>The first element of a contiguous CPU tensor: its memory is libtorch's, never moved by the GC.</summary>
    private static float* Address(Tensor t) => (float*)Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(t.bytes));

    /// <summary>
    /// Mean cross-entropy of the scores s·<paramref name="scale"/> for s [T, C] against <paramref name="labels"/> [T];
    /// s is overwritten with the loss's gradient with respect to s: (softmax(s·scale) − onehot) · scale / T.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from its first call: no slow first tier
    public static double SoftmaxCrossEntropy(Tensor scores, ReadOnlySpan<long> labels, float scale)
    {
        int t = (int)scores.shape[0], c = (int)scores.shape[1];
        float factor = scale / t;
        double loss = 0;
        fixed (byte* sb = scores.bytes)
        {
            float* s = (float*)sb;
            // The shifted scores s·scale − max of every row first, then their exponentials in one vector pass.
            for (int r = 0; r < t; r++)
            {
                float* row = s + (long)r * c;
                float max = float.NegativeInfinity;
                for (int j = 0; j < c; j++) max = MathF.Max(max, row[j] * scale);
                for (int j = 0; j < c; j++) row[j] = row[j] * scale - max;
            }
            FloatExp.ExpInPlace(s, (long)t * c);
            for (int r = 0; r < t; r++)
            {
                float* row = s + (long)r * c;
                float sum = 0;
                for (int j = 0; j < c; j++) sum += row[j];
                int y = (int)labels[r];
                loss += Math.Log(sum) - Math.Log(row[y]);   // −log softmax_y
                float inverse = 1 / sum;
                for (int j = 0; j < c; j++) row[j] = (row[j] * inverse - (j == y ? 1 : 0)) * factor;
            }
        }
        return loss / t;
    }

    /// <summary>
    /// g ← g ⊙ [z &gt; 0] for g, z [R, H] (z may be a row block of a larger matrix), and biasGrad [H] += Σ_rows g;
    /// row blocks on the compute threads when large, each summing into its own row of partial sums.
    /// </summary>
    public static void MaskByPositiveAndSum(Tensor grad, Tensor z, Tensor biasGrad) => MaskByPositiveAndSum(grad, z, null, biasGrad);

    /// <summary>
    /// As <see cref="MaskByPositiveAndSum(Tensor, Tensor, Tensor)"/> with row i of g masked by row
    /// <paramref name="zRows"/>[i] of z [N, H] (z's rows gathered in the pass, not beforehand); null: row i of z.
    /// </summary>
    public static void MaskByPositiveAndSum(Tensor grad, Tensor z, int[]? zRows, Tensor biasGrad)
    {
        int h = (int)grad.shape[1];
        long rows = grad.shape[0];
        int blocks = CsrKernels.ThreadsHere <= 1 || rows * h < ParallelAbove ? 1 : 4 * CsrKernels.ThreadsHere;
        var partial = new float[blocks * h];
        fixed (byte* gb = grad.bytes, zb = z.bytes)   // bytes starts at the view's first element
        fixed (float* sums = partial)
        {
            nint g = (nint)gb, zp = (nint)zb, s = (nint)sums;
            if (blocks == 1) MaskByPositiveAndSum((float*)g, (float*)zp, zRows, (float*)s, h, 0, rows);
            else OpenMpTeam.For(blocks, CsrKernels.ThreadsHere, i =>
                MaskByPositiveAndSum((float*)g, (float*)zp, zRows, (float*)s + (long)i * h, h, rows * i / blocks, rows * (i + 1) / blocks));
        }
        fixed (byte* sb = biasGrad.bytes)
        {
            float* sum = (float*)sb;
            for (int block = 0; block < blocks; block++)
                for (int i = 0; i < h; i++) sum[i] += partial[block * h + i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from its first call: no slow first tier
    private static void MaskByPositiveAndSum(float* g, float* zp, int[]? zRows, float* sum, int h, long first, long last)
    {
        for (long r = first; r < last; r++)
        {
            float* gr = g + r * h, zr = zp + (zRows is null ? r : zRows[r]) * h;
            int i = 0;
            for (; i + 8 <= h; i += 8)
            {
                Vector256<float> masked = Vector256.ConditionalSelect(
                    Vector256.GreaterThan(Vector256.Load(zr + i), Vector256<float>.Zero), Vector256.Load(gr + i), Vector256<float>.Zero);
                masked.Store(gr + i);
                (Vector256.Load(sum + i) + masked).Store(sum + i);
            }
            for (; i < h; i++)
            {
                gr[i] = zr[i] > 0 ? gr[i] : 0;
                sum[i] += gr[i];
            }
        }
    }

    /// <summary>
    /// LN(z) = z_i / (‖z_i‖₂ + 1e−8) row by row for a contiguous float32 CPU z [R, H], into a new tensor, one pass
    /// per row (<see cref="Layers.RowNorm.Apply(Tensor)"/> takes three operations); row blocks on the compute threads
    /// when large. The norm is summed in float lanes, so the last bits may differ from libtorch's.
    /// </summary>
    public static Tensor Normalized(Tensor z)
    {
        int h = (int)z.shape[1];
        long rows = z.shape[0];
        Tensor output = empty_like(z);
        fixed (byte* zb = z.bytes, ob = output.bytes)
        {
            nint zAddress = (nint)zb, oAddress = (nint)ob;
            ForRowBlocks(rows, h, (first, last) => Normalize((float*)zAddress, (float*)oAddress, h, first, last));
        }
        return output;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from its first call: no slow first tier
    private static void Normalize(float* zp, float* op, int h, long first, long last)
    {
        for (long r = first; r < last; r++)
        {
            float* row = zp + r * h, output = op + r * h;
            var squares = Vector256<float>.Zero;
            int i = 0;
            for (; i + 8 <= h; i += 8)
            {
                Vector256<float> v = Vector256.Load(row + i);
                squares += v * v;
            }
            float sum = Vector256.Sum(squares);
            for (; i < h; i++) sum += row[i] * row[i];
            var scale = Vector256.Create(1 / (MathF.Sqrt(sum) + (float)Layers.RowNorm.Epsilon));
            for (i = 0; i + 8 <= h; i += 8) (Vector256.Load(row + i) * scale).Store(output + i);
            for (; i < h; i++) output[i] = row[i] * scale[0];
        }
    }
}
