using System.Numerics;
using ForwardGnn.Data;

namespace ForwardGnn.Engine;

/// <summary>
/// Hand-written products of a CSR matrix X [N, F] with dense row-major matrices, parallel over output rows and
/// vectorised over the dense width. libtorch's COO sparse × dense runs far below the machine's limit on these
/// shapes (engineering notes §2); these loops are several times faster and are checked against it in tests.
/// </summary>
public static unsafe class CsrKernels
{
    /// <summary>Y [N, d] = X · B, with B [F, d].</summary>
    public static void Multiply(CsrMatrix x, float* b, float* y, int d) =>
        RowProducts(x.Rows, x.RowPointer, x.ColumnIndex, x.Values, b, y, d);

    /// <summary>Y [F, d] = Xᵀ · G, with G [N, d]; <paramref name="transposed"/> is X's transpose in CSR form.</summary>
    public static void MultiplyTransposed(CsrMatrix transposed, float* g, float* y, int d) =>
        RowProducts(transposed.Rows, transposed.RowPointer, transposed.ColumnIndex, transposed.Values, g, y, d);

    /// <summary>Transpose of a CSR matrix, in CSR form (equivalently, X in CSC form).</summary>
    public static CsrMatrix Transpose(CsrMatrix x)
    {
        var pointer = new int[x.Columns + 1];
        foreach (int c in x.ColumnIndex) pointer[c + 1]++;
        for (int c = 0; c < x.Columns; c++) pointer[c + 1] += pointer[c];
        var next = pointer[..^1].ToArray();
        var index = new int[x.StoredCount];
        var values = new float[x.StoredCount];
        for (int r = 0; r < x.Rows; r++)
            for (int k = x.RowPointer[r]; k < x.RowPointer[r + 1]; k++)
            {
                int slot = next[x.ColumnIndex[k]]++;
                index[slot] = r;
                values[slot] = x.Values[k];
            }
        return new CsrMatrix(x.Columns, x.Rows, pointer, index, values);
    }

    private static void RowProducts(int rows, int[] pointer, int[] index, float[] values, float* b, float* y, int d)
    {
        nint bAddress = (nint)b, yAddress = (nint)y;
        Parallel.For(0, rows, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, r =>
        {
            var output = new Span<float>((float*)yAddress + (long)r * d, d);
            output.Clear();
            for (int k = pointer[r]; k < pointer[r + 1]; k++)
                Accumulate(output, new ReadOnlySpan<float>((float*)bAddress + (long)index[k] * d, d), values[k]);
        });
    }

    /// <summary>output += scale · row.</summary>
    private static void Accumulate(Span<float> output, ReadOnlySpan<float> row, float scale)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<float>(scale);
            for (; i <= output.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(output[i..]) + s * new Vector<float>(row[i..])).CopyTo(output[i..]);
        }
        for (; i < output.Length; i++) output[i] += scale * row[i];
    }
}
