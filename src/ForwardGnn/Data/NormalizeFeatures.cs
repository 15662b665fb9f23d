namespace ForwardGnn.Data;

/// <summary>
/// PyG 2.2's <c>NormalizeFeatures</c>: X ← X − min(X) over the whole matrix, then every row divided by
/// max(row sum, 1). Rows summing to less than 1 (all-zero rows included) are not scaled up.
/// </summary>
internal static class NormalizeFeatures
{
    /// <param name="x">The features.</param>
    /// <param name="source">Where they came from, for the error when they are too large to make dense.</param>
    public static CsrMatrix Apply(CsrMatrix x, string source = "features")
    {
        float min = GlobalMinimum(x);
        if (min != 0f)
        {
            MemoryBudget.Require((double)x.Rows * x.Columns * 4 * 2, source, $"shifting its {x.Rows:N0}×{x.Columns:N0} features by their minimum {min} (a dense copy)");
            // Shifting makes implicit zeros non-zero, so the matrix becomes dense.
            float[] dense = x.ToDense();
            for (long i = 0; i < dense.Length; i++) dense[i] -= min;
            x = CsrMatrix.FromDense(x.Rows, x.Columns, dense);
        }
        var values = new float[x.StoredCount];
        for (int r = 0; r < x.Rows; r++)
        {
            int start = x.RowPointer[r], end = x.RowPointer[r + 1];
            float sum = 0f;
            for (int k = start; k < end; k++) sum += x.Values[k];
            float scale = Math.Max(sum, 1f);
            for (int k = start; k < end; k++) values[k] = x.Values[k] / scale;
        }
        return new CsrMatrix(x.Rows, x.Columns, x.RowPointer, x.ColumnIndex, values);
    }

    private static float GlobalMinimum(CsrMatrix x)
    {
        float min = x.StoredCount < (long)x.Rows * x.Columns ? 0f : float.PositiveInfinity;
        foreach (float v in x.Values) min = Math.Min(min, v);
        return float.IsPositiveInfinity(min) ? 0f : min;
    }
}
