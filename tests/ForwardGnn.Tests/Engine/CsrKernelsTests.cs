using ForwardGnn.Engine;

namespace ForwardGnn.Tests.Engine;

public unsafe class CsrKernelsTests
{
    /// <summary>A random CSR matrix with empty rows, long rows and repeated columns, and a dense right-hand side.</summary>
    private static (int[] Pointer, int[] Index, double[] Values, double[] B) Random(int rows, int columns, int d, int seed)
    {
        var random = new Random(seed);
        var pointer = new int[rows + 1];
        var index = new List<int>();
        for (int r = 0; r < rows; r++)
        {
            int count = r % 5 == 0 ? 0 : r % 7 == 0 ? 3 * columns : random.Next(1, 6);
            for (int k = 0; k < count; k++) index.Add(random.Next(columns));
            pointer[r + 1] = index.Count;
        }
        double[] values = index.Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] b = Enumerable.Range(0, columns * d).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        return (pointer, index.ToArray(), values, b);
    }

    private static double[] DenseReference(int rows, int[] pointer, int[] index, double[] values, double[] b, int d)
    {
        var y = new double[rows * d];
        for (int r = 0; r < rows; r++)
            for (int k = pointer[r]; k < pointer[r + 1]; k++)
                for (int c = 0; c < d; c++) y[r * d + c] += values[k] * b[index[k] * d + c];
        return y;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 1)]
    [InlineData(8, 2)]
    [InlineData(64, 2)]
    [InlineData(71, 2)]
    [InlineData(128, 2)]
    [InlineData(200, 1)]
    public void FloatProductMatchesDenseReference(int d, int threads)
    {
        const int rows = 300, columns = 90;
        var (pointer, index, values, b) = Random(rows, columns, d, seed: d);
        double[] expected = DenseReference(rows, pointer, index, values, b, d);
        float[] singles = values.Select(v => (float)v).ToArray();
        float[] bSingles = b.Select(v => (float)v).ToArray();
        var y = new float[rows * d];
        Array.Fill(y, float.NaN);   // every output is written, not accumulated into
        int saved = CsrKernels.MaxThreads;
        try
        {
            CsrKernels.MaxThreads = threads;
            fixed (float* bp = bSingles) fixed (float* yp = y) CsrKernels.Multiply(rows, pointer, index, singles, bp, yp, d);
        }
        finally { CsrKernels.MaxThreads = saved; }
        for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i], y[i], 1e-4);
    }

    [Theory]
    [InlineData(7, 1)]
    [InlineData(71, 2)]
    [InlineData(128, 2)]
    public void FloatProductWithBiasAndReluMatchesDenseReference(int d, int threads)
    {
        const int rows = 300, columns = 90;
        var (pointer, index, values, b) = Random(rows, columns, d, seed: 300 + d);
        double[] product = DenseReference(rows, pointer, index, values, b, d);
        float[] bias = Enumerable.Range(0, d).Select(c => (float)Math.Sin(c)).ToArray();
        float[] singles = values.Select(v => (float)v).ToArray();
        float[] bSingles = b.Select(v => (float)v).ToArray();
        int saved = CsrKernels.MaxThreads;
        try
        {
            CsrKernels.MaxThreads = threads;
            foreach (bool relu in new[] { false, true })
            {
                var y = new float[rows * d];
                Array.Fill(y, float.NaN);
                fixed (float* bp = bSingles) fixed (float* yp = y) fixed (float* biasp = bias)
                    CsrKernels.Multiply(rows, pointer, index, singles, bp, yp, d, biasp, relu);
                for (int i = 0; i < y.Length; i++)
                {
                    double shifted = product[i] + bias[i % d];
                    Assert.Equal(relu ? Math.Max(shifted, 0) : shifted, y[i], 1e-4);
                }
            }
        }
        finally { CsrKernels.MaxThreads = saved; }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(128)]
    public void DoubleProductMatchesDenseReference(int d)
    {
        const int rows = 200, columns = 50;
        var (pointer, index, values, b) = Random(rows, columns, d, seed: 100 + d);
        double[] expected = DenseReference(rows, pointer, index, values, b, d);
        var y = new double[rows * d];
        Array.Fill(y, double.NaN);
        fixed (double* bp = b) fixed (double* yp = y) CsrKernels.Multiply(rows, pointer, index, values, bp, yp, d);
        for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i], y[i], 1e-12);
    }
    [Theory]
    [InlineData(7)]
    [InlineData(128)]
    public void RowSubsetProductIsThoseRowsOfTheFullProduct(int d)
    {
        const int rows = 120, columns = 40;
        var (pointer, index, values, b) = Random(rows, columns, d, seed: 200 + d);
        double[] full = DenseReference(rows, pointer, index, values, b, d);
        int[] selected = [7, 0, 35, 35, 119, 10];   // any order, repeats, an empty row (0) and a long one (35)
        float[] singles = values.Select(v => (float)v).ToArray();
        float[] bSingles = b.Select(v => (float)v).ToArray();
        var y = new float[selected.Length * d];
        Array.Fill(y, float.NaN);
        fixed (float* bp = bSingles) fixed (float* yp = y) CsrKernels.MultiplyRows(selected, pointer, index, singles, bp, yp, d);
        for (int i = 0; i < selected.Length; i++)
            for (int c = 0; c < d; c++) Assert.Equal(full[selected[i] * d + c], y[i * d + c], 1e-4);
    }
}
