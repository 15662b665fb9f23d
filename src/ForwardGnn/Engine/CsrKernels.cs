using System.Numerics;

namespace ForwardGnn.Engine;

/// <summary>
/// Y = S · B for a CSR matrix S [R, C] and a dense row-major B [C, d]: parallel over the rows of S, vectorised over
/// d. libtorch's COO sparse × dense runs far below the machine's limit on the shapes of GNN training (engineering
/// notes §2), and its CPU <c>index_add_</c> loops slice by slice; these loops replace both.
/// </summary>
public static unsafe class CsrKernels
{
    /// <summary>Threads the kernels may use; set together with libtorch's (<see cref="ComputeThreads.Set"/>).</summary>
    public static int MaxThreads { get; set; } = Environment.ProcessorCount;

    public static void Multiply<T>(int rows, int[] pointer, int[] index, T[] values, T* b, T* y, int d)
        where T : unmanaged, INumber<T>
    {
        nint bAddress = (nint)b, yAddress = (nint)y;
        Parallel.For(0, rows, new ParallelOptions { MaxDegreeOfParallelism = MaxThreads }, r =>
        {
            var output = new Span<T>((T*)yAddress + (long)r * d, d);
            output.Clear();
            for (int k = pointer[r]; k < pointer[r + 1]; k++)
                Accumulate(output, new ReadOnlySpan<T>((T*)bAddress + (long)index[k] * d, d), values[k]);
        });
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
}
