namespace ForwardGnn.Data;

/// <summary>
/// A row-compressed (CSR) float matrix of shape [<see cref="Rows"/>, <see cref="Columns"/>]: row i owns the entries
/// <c>RowPointer[i] .. RowPointer[i+1]-1</c> of <see cref="ColumnIndex"/> and <see cref="Values"/>. Node features
/// are kept in this form because the graphs used here have 0.1–3 % non-zero features.
/// </summary>
public sealed class CsrMatrix
{
    /// <summary>Wraps CSR arrays without copying; <paramref name="rowPointer"/> has rows + 1 entries and ends at the entry count.</summary>
    public CsrMatrix(int rows, int columns, int[] rowPointer, int[] columnIndex, float[] values)
    {
        if (rowPointer.Length != rows + 1) throw new ArgumentException("rowPointer must have rows + 1 entries");
        if (columnIndex.Length != values.Length || rowPointer[rows] != values.Length)
            throw new ArgumentException("columnIndex, values and rowPointer disagree on the entry count");
        Rows = rows;
        Columns = columns;
        RowPointer = rowPointer;
        ColumnIndex = columnIndex;
        Values = values;
    }

    /// <summary>Number of rows (nodes, for a feature matrix).</summary>
    public int Rows { get; }
    /// <summary>Number of columns (features).</summary>
    public int Columns { get; }
    /// <summary>[Rows + 1]: row i owns entries RowPointer[i] .. RowPointer[i+1]−1.</summary>
    public int[] RowPointer { get; }
    /// <summary>[StoredCount]: column of every stored entry, row by row.</summary>
    public int[] ColumnIndex { get; }
    /// <summary>[StoredCount]: value of every stored entry, aligned with <see cref="ColumnIndex"/>.</summary>
    public float[] Values { get; }

    /// <summary>Number of stored entries.</summary>
    public int StoredCount => Values.Length;

    /// <summary>Stored entries as a fraction of all entries.</summary>
    public double Density => Rows == 0 || Columns == 0 ? 0 : (double)StoredCount / ((long)Rows * Columns);

    /// <summary>Row-major dense copy.</summary>
    public float[] ToDense()
    {
        var dense = new float[(long)Rows * Columns];
        for (int r = 0; r < Rows; r++)
            for (int k = RowPointer[r]; k < RowPointer[r + 1]; k++)
                dense[(long)r * Columns + ColumnIndex[k]] += Values[k];
        return dense;
    }

    /// <summary>Builds from a row-major dense array, storing only the non-zeros.</summary>
    public static CsrMatrix FromDense(int rows, int columns, ReadOnlySpan<float> dense)
    {
        var pointer = new int[rows + 1];
        var index = new List<int>();
        var values = new List<float>();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                float v = dense[r * columns + c];
                if (v == 0f) continue;
                index.Add(c);
                values.Add(v);
            }
            pointer[r + 1] = values.Count;
        }
        return new CsrMatrix(rows, columns, pointer, index.ToArray(), values.ToArray());
    }
}
