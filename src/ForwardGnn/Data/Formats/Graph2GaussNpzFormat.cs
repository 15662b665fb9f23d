using ForwardGnn.Data.Npy;
using ForwardGnn.Graphs;

namespace ForwardGnn.Data.Formats;

/// <summary>
/// The graph2gauss / gnn-benchmark <c>.npz</c> layout (CitationFull, Amazon, Coauthor): adjacency and attributes as
/// scipy CSR arrays (<c>adj_*</c>, <c>attr_*</c>) and <c>labels</c>. Processed as PyG 2.2's <c>read_npz</c>: features
/// binarised (x &gt; 0 → 1), self-loops removed, edges symmetrised and de-duplicated.
/// </summary>
internal sealed class Graph2GaussNpzFormat(params string[] fileNames) : IDatasetFormat
{
    public IReadOnlyList<string> FileNames { get; } = fileNames;

    public GraphDataset Read(string name, string path)
    {
        using NpzArchive npz = NpzArchive.Open(path);
        CsrMatrix adjacency = ReadCsr(npz, "adj");
        CsrMatrix attributes = ReadCsr(npz, "attr");
        if (adjacency.Rows != adjacency.Columns)
            throw new DataFormatException(path, $"adjacency is {adjacency.Rows}×{adjacency.Columns}, not square");
        int n = adjacency.Rows;
        if (n == 0) throw new DataFormatException(path, "the graph has no nodes");
        if (attributes.Rows != n)
            throw new DataFormatException(path, $"attributes have {attributes.Rows} rows but the graph has {n} nodes");

        NpyArray labelArray = npz.Get("labels");
        int[] labels = labelArray.ToInt32();
        if (labels.Length != n)
            throw new DataFormatException(labelArray.Source, $"has {labels.Length} labels but the graph has {n} nodes");
        int classes = LabelChecks.CountClasses(labels, labelArray.Source);

        var sources = new int[adjacency.StoredCount];
        for (int r = 0; r < n; r++)
            sources.AsSpan(adjacency.RowPointer[r], adjacency.RowPointer[r + 1] - adjacency.RowPointer[r]).Fill(r);
        EdgeIndex edges = EdgeIndex.Build(n, sources, adjacency.ColumnIndex);
        return new GraphDataset(name, Binarise(attributes), labels, classes, edges, path);
    }

    private static CsrMatrix ReadCsr(NpzArchive npz, string prefix)
    {
        NpyArray shapeArray = npz.Get(prefix + "_shape");
        long[] shape = shapeArray.ToInt64();
        if (shape.Length != 2 || shape[0] < 0 || shape[1] < 0 || shape[0] > int.MaxValue || shape[1] > int.MaxValue)
            throw new DataFormatException(shapeArray.Source, $"expected two non-negative dimensions, found ({EchoedText.Shorten(string.Join(", ", shape))})");
        int rows = (int)shape[0], columns = (int)shape[1];

        NpyArray pointerArray = npz.Get(prefix + "_indptr");
        NpyArray indexArray = npz.Get(prefix + "_indices");
        NpyArray valueArray = npz.Get(prefix + "_data");
        int[] pointer = pointerArray.ToInt32();
        int[] index = indexArray.ToInt32();
        float[] values = valueArray.ToFloat32();

        if (pointer.Length != rows + 1)
            throw new DataFormatException(pointerArray.Source, $"has {pointer.Length} entries but shape {rows}×{columns} needs {rows + 1}");
        if (index.Length != values.Length)
            throw new DataFormatException(indexArray.Source, $"has {index.Length} entries but {valueArray.Source} has {values.Length}");
        if (pointer[0] != 0 || pointer[rows] != index.Length)
            throw new DataFormatException(pointerArray.Source, $"must run from 0 to {index.Length}, runs from {pointer[0]} to {pointer[rows]}");
        for (int r = 0; r < rows; r++)
            if (pointer[r + 1] < pointer[r])
                throw new DataFormatException(pointerArray.Source, $"decreases at row {r}");
        for (int k = 0; k < index.Length; k++)
            if ((uint)index[k] >= (uint)columns)
                throw new DataFormatException(indexArray.Source, $"index {index[k]} at position {k} is out of range 0..{columns - 1}");
        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0) throw new DataFormatException(valueArray.Source, $"value {values[bad]} at position {bad} is not a finite number");
        return new CsrMatrix(rows, columns, pointer, index, values);
    }

    /// <summary>Sums duplicate entries per row, then keeps the positive ones as 1 and the negative ones as they are.</summary>
    private static CsrMatrix Binarise(CsrMatrix x)
    {
        var pointer = new int[x.Rows + 1];
        var index = new List<int>(x.StoredCount);
        var values = new List<float>(x.StoredCount);
        for (int r = 0; r < x.Rows; r++)
        {
            int start = x.RowPointer[r], length = x.RowPointer[r + 1] - start;
            int[] columns = x.ColumnIndex.AsSpan(start, length).ToArray();
            float[] rowValues = x.Values.AsSpan(start, length).ToArray();
            Array.Sort(columns, rowValues);
            for (int k = 0; k < length; k++)
            {
                float sum = rowValues[k];
                while (k + 1 < length && columns[k + 1] == columns[k]) sum += rowValues[++k];
                if (sum == 0f) continue;
                index.Add(columns[k]);
                values.Add(sum > 0f ? 1f : sum);
            }
            pointer[r + 1] = values.Count;
        }
        return new CsrMatrix(x.Rows, x.Columns, pointer, index.ToArray(), values.ToArray());
    }
}
