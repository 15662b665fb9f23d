using ForwardGnn.Data;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using static TorchSharp.torch;

namespace ForwardGnn.Distributed;

/// <summary>
/// Layer 1 of GCN for any rows a rank chooses, from the data alone: z[rows] = ReLU(Â[rows, :]·(X Wᵀ) + b) reads only the
/// feature rows of the rows' neighbours (and their own). Holds Â restricted to those rows, [rows, read] with the whole
/// graph's degrees, as a graph for the convs (<see cref="Graph"/>), and the read rows of X as sparse features
/// [read, F] (<see cref="Features"/>), so a step costs what the single process's layer 1 costs on these rows: X is
/// projected on its non-zeros, then aggregated. <c>conv.ForwardRelu(Features, Graph)</c> gives [rows, d].
/// </summary>
internal sealed class FeatureNeighbourhood : IDisposable
{
    /// <param name="graph">The whole graph (Â's entries and degrees come from it).</param>
    /// <param name="rows">The nodes (global ids) whose layer-1 rows are wanted, in output order.</param>
    /// <param name="features">X [nodes, F], already row-normalised where the layer normalises.</param>
    /// <param name="device">Where the features tensor lives.</param>
    public FeatureNeighbourhood(EdgeIndex graph, int[] rows, CsrMatrix features, Device device)
    {
        (List<int> source, List<int> target, double[] weight) = GraphTensors.GcnEntries(graph);
        var rowOf = new Dictionary<int, int>(rows.Length);
        for (int i = 0; i < rows.Length; i++) rowOf[rows[i]] = i;
        var readOf = new Dictionary<int, int>();
        var read = new List<int>();
        var entryRows = new List<int>();
        var entryColumns = new List<int>();
        var entryWeights = new List<double>();
        for (int e = 0; e < source.Count; e++)
        {
            if (!rowOf.TryGetValue(target[e], out int row)) continue;
            if (!readOf.TryGetValue(source[e], out int column))
            {
                column = read.Count;
                readOf[source[e]] = column;
                read.Add(source[e]);
            }
            entryRows.Add(row);
            entryColumns.Add(column);
            entryWeights.Add(weight[e]);
        }
        Read = read.Count;
        Graph = GraphTensors.Partial(new SparseOperator(rows.Length, read.Count, entryRows, entryColumns, entryWeights), device);
        Features = SparseFeatures.Create(RowsOf(features, read), device);
    }

    /// <summary>Â[rows, read] as the convs' graph: [rows] outputs from [read] inputs.</summary>
    public GraphTensors Graph { get; }

    /// <summary>The read nodes' rows of X, sparse [read, F].</summary>
    public Tensor Features { get; }

    /// <summary>The number of feature rows read (the rows and their neighbours).</summary>
    public int Read { get; }

    private static CsrMatrix RowsOf(CsrMatrix x, List<int> rows)
    {
        var pointer = new int[rows.Count + 1];
        for (int i = 0; i < rows.Count; i++) pointer[i + 1] = pointer[i] + x.RowPointer[rows[i] + 1] - x.RowPointer[rows[i]];
        var index = new int[pointer[^1]];
        var values = new float[pointer[^1]];
        for (int i = 0; i < rows.Count; i++)
        {
            int from = x.RowPointer[rows[i]], count = pointer[i + 1] - pointer[i];
            Array.Copy(x.ColumnIndex, from, index, pointer[i], count);
            Array.Copy(x.Values, from, values, pointer[i], count);
        }
        return new CsrMatrix(rows.Count, x.Columns, pointer, index, values);
    }

    public void Dispose()
    {
        Features.Dispose();
        Graph.Dispose();
    }
}
