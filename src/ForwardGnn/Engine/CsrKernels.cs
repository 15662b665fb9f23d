using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ForwardGnn.Engine;

/// <summary>
/// Y = S · B for a CSR matrix S [R, C] and a dense row-major B [C, d]: parallel over blocks of rows of S with
/// about equal numbers of stored entries, vectorised over d. libtorch's COO sparse × dense runs far below the
/// machine's limit on the shapes of GNN training (engineering notes §2), and its CPU <c>index_add_</c> loops slice by
/// slice; these loops replace both.
/// </summary>
internal static unsafe class CsrKernels
{
    /// <summary>Threads the kernels may use; set together with libtorch's (<see cref="ComputeThreads.Set"/>).</summary>
    public static int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Set on a thread that already runs beside others (<see cref="LayerParallel"/>): its products stay on it.</summary>
    [ThreadStatic] internal static bool SerialOnThisThread;

    /// <summary>The threads a kernel started on this thread may use.</summary>
    internal static int ThreadsHere => SerialOnThisThread ? 1 : MaxThreads;

    /// <summary>Below this many multiply-adds a product runs on the calling thread: a fork costs more than it saves.</summary>
    private const long ParallelAbove = 1 << 18;

    /// <summary>Columns of Y accumulated in registers at once (8 vectors of 8 floats).</summary>
    private const int FloatBlock = 64;

    /// <summary>Columns accumulated at once where 16-float vectors run in hardware (8 vectors of 16 floats).</summary>
    private const int WideBlock = 128;

    public static void Multiply(int rows, int[] pointer, int[] index, float[] values, float* b, float* y, int d) =>
        Multiply(rows, pointer, index, values, b, y, d, bias: null, relu: false);

    /// <summary>
    /// Y = S · B + 1 biasᵀ, then ReLU when <paramref name="relu"/> is set, with the bias and the activation applied to
    /// each output row in registers before it is stored: the same numbers as the product followed by libtorch's
    /// <c>add_</c> and <c>relu_</c>, without their two passes over Y. <paramref name="bias"/> [d] may be null.
    /// </summary>
    public static void Multiply(int rows, int[] pointer, int[] index, float[] values, float* b, float* y, int d, float* bias, bool relu)
    {
        nint bAddress = (nint)b, yAddress = (nint)y, biasAddress = (nint)bias;
        ForRowBlocks(rows, pointer, d, (first, last) =>
            MultiplyRange(first, last, pointer, index, values, (float*)bAddress, (float*)yAddress, d, (float*)biasAddress, relu));
    }

    /// <summary>Rows [first, last) of Y = S · B (+ bias, then ReLU, as in <see cref="Multiply(int, int[], int[], float[], float*, float*, int, float*, bool)"/>) into those rows of Y [rows of S, d], on this thread.</summary>
    public static void MultiplyRange(int first, int last, int[] pointer, int[] index, float[] values, float* b, float* y, int d, float* bias = null, bool relu = false)
    {
        for (int r = first; r < last; r++) MultiplyRow(pointer[r], pointer[r + 1], index, values, b, y + (long)r * d, d, bias, relu);
    }

    /// <summary>Y = S[rows] · B: only the listed rows of S, in their order, into Y [rows.Length, d].</summary>
    public static void MultiplyRows(int[] rows, int[] pointer, int[] index, float[] values, float* b, float* y, int d)
    {
        for (int i = 0; i < rows.Length; i++) MultiplyRow(pointer[rows[i]], pointer[rows[i] + 1], index, values, b, y + (long)i * d, d, null, false);
    }

    public static void Multiply(int rows, int[] pointer, int[] index, double[] values, double* b, double* y, int d)
    {
        nint bAddress = (nint)b, yAddress = (nint)y;
        ForRowBlocks(rows, pointer, d, (first, last) =>
        {
            for (int r = first; r < last; r++)
            {
                var output = new Span<double>((double*)yAddress + (long)r * d, d);
                output.Clear();
                for (int k = pointer[r]; k < pointer[r + 1]; k++)
                    Accumulate(output, new ReadOnlySpan<double>((double*)bAddress + (long)index[k] * d, d), values[k]);
            }
        });
    }

    /// <summary>
    /// One row y = Σₖ values[k] · B[index[k]] (+ bias, then ReLU, when asked) with a block of 64 output columns held in
    /// registers across the row's entries (one load and one fused multiply-add per vector and entry, one store per
    /// vector at the end).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyRow(int start, int end, int[] index, float[] values, float* b, float* y, int d, float* bias, bool relu)
    {
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; c + WideBlock <= d; c += WideBlock)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                for (int k = start; k < end; k++)
                {
                    float* row = b + (long)index[k] * d + c;
                    var s = Vector512.Create(values[k]);
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Load(row), s, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 16), s, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 32), s, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 48), s, a3);
                    a4 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 64), s, a4);
                    a5 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 80), s, a5);
                    a6 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 96), s, a6);
                    a7 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 112), s, a7);
                }
                Finish(a0, y + c, bias, c, relu); Finish(a1, y + c + 16, bias, c + 16, relu);
                Finish(a2, y + c + 32, bias, c + 32, relu); Finish(a3, y + c + 48, bias, c + 48, relu);
                Finish(a4, y + c + 64, bias, c + 64, relu); Finish(a5, y + c + 80, bias, c + 80, relu);
                Finish(a6, y + c + 96, bias, c + 96, relu); Finish(a7, y + c + 112, bias, c + 112, relu);
            }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c + FloatBlock <= d; c += FloatBlock)
            {
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                for (int k = start; k < end; k++)
                {
                    float* row = b + (long)index[k] * d + c;
                    var s = Vector256.Create(values[k]);
                    a0 = Fma(Vector256.Load(row), s, a0);
                    a1 = Fma(Vector256.Load(row + 8), s, a1);
                    a2 = Fma(Vector256.Load(row + 16), s, a2);
                    a3 = Fma(Vector256.Load(row + 24), s, a3);
                    a4 = Fma(Vector256.Load(row + 32), s, a4);
                    a5 = Fma(Vector256.Load(row + 40), s, a5);
                    a6 = Fma(Vector256.Load(row + 48), s, a6);
                    a7 = Fma(Vector256.Load(row + 56), s, a7);
                }
                Finish(a0, y + c, bias, c, relu); Finish(a1, y + c + 8, bias, c + 8, relu);
                Finish(a2, y + c + 16, bias, c + 16, relu); Finish(a3, y + c + 24, bias, c + 24, relu);
                Finish(a4, y + c + 32, bias, c + 32, relu); Finish(a5, y + c + 40, bias, c + 40, relu);
                Finish(a6, y + c + 48, bias, c + 48, relu); Finish(a7, y + c + 56, bias, c + 56, relu);
            }
            for (; c + 8 <= d; c += 8)
            {
                Vector256<float> a = default;
                for (int k = start; k < end; k++) a = Fma(Vector256.Load(b + (long)index[k] * d + c), Vector256.Create(values[k]), a);
                Finish(a, y + c, bias, c, relu);
            }
        }
        if (c < d) NarrowColumns(start, end, index, values, b, y, d, c, bias, relu);
    }

    /// <summary>
    /// Columns [<paramref name="first"/>, d) of one row, fewer than one vector: one pass over the row's entries with a
    /// scalar sum per column (each column's additions in the entries' order, as a loop per column would make them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from its first call: no slow first tier
    private static void NarrowColumns(int start, int end, int[] index, float[] values, float* b, float* y, int d, int first, float* bias, bool relu)
    {
        int width = d - first;
        float* a = stackalloc float[width];
        for (int j = 0; j < width; j++) a[j] = 0;
        for (int k = start; k < end; k++)
        {
            float* row = b + (long)index[k] * d + first;
            float v = values[k];
            for (int j = 0; j < width; j++) a[j] += v * row[j];
        }
        for (int j = 0; j < width; j++)
        {
            float sum = bias != null ? a[j] + bias[first + j] : a[j];
            y[first + j] = relu ? MathF.Max(sum, 0) : sum;
        }
    }

    /// <summary>Stores the accumulated vector <paramref name="a"/> at <paramref name="y"/>, after adding bias[column …] and applying ReLU when asked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Vector256<float> a, float* y, float* bias, int column, bool relu)
    {
        if (bias != null) a += Vector256.Load(bias + column);
        if (relu) a = Vector256.Max(a, Vector256<float>.Zero);
        a.Store(y);
    }

    /// <summary><see cref="Finish(Vector256{float}, float*, float*, int, bool)"/> for a 16-float vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Vector512<float> a, float* y, float* bias, int column, bool relu)
    {
        if (bias != null) a += Vector512.Load(bias + column);
        if (relu) a = Vector512.Max(a, Vector512<float>.Zero);
        a.Store(y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma(Vector256<float> x, Vector256<float> s, Vector256<float> acc) =>
        Vector256.FusedMultiplyAdd(x, s, acc);

    /// <summary>
    /// Runs <paramref name="body"/>(first, last) over consecutive row ranges covering [0, rows): one range on the
    /// calling thread for small products, else a few ranges per thread with about equal stored entries each.
    /// </summary>
    internal static void ForRowBlocks(int rows, int[] pointer, int d, Action<int, int> body)
    {
        long work = (long)pointer[rows] * d + rows;
        if (ThreadsHere <= 1 || work < ParallelAbove)
        {
            body(0, rows);
            return;
        }
        int blocks = 4 * MaxThreads;
        var bounds = new int[blocks + 1];
        for (int i = 1, r = 0; i < blocks; i++)
        {
            long target = (long)pointer[rows] * i / blocks;
            while (r < rows && pointer[r] < target) r++;
            bounds[i] = r;
        }
        bounds[blocks] = rows;
        OpenMpTeam.For(blocks, MaxThreads, i => body(bounds[i], bounds[i + 1]));
    }

    /// <summary>output += scale · row.</summary>
    internal static void Accumulate<T>(Span<T> output, ReadOnlySpan<T> row, T scale) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var s = new Vector<T>(scale);
            for (; i <= output.Length - Vector<T>.Count; i += Vector<T>.Count)
                (new Vector<T>(output[i..]) + s * new Vector<T>(row[i..])).CopyTo(output[i..]);
        }
        for (; i < output.Length; i++) output[i] += scale * row[i];
    }

    /// <summary>⟨a, b⟩, vectorised.</summary>
    internal static T Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, INumber<T>
    {
        int i = 0;
        var acc = Vector<T>.Zero;
        for (; i <= a.Length - Vector<T>.Count; i += Vector<T>.Count) acc += new Vector<T>(a[i..]) * new Vector<T>(b[i..]);
        T sum = Vector.Sum(acc);
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
