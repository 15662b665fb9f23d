using ForwardGnn.Graphs;

namespace ForwardGnn.Data;

/// <summary>
/// A node-labelled graph as PyG 2.2 would hand it to the model: features X [N, F] (CSR, after the loader's own
/// processing and <see cref="NormalizeFeatures"/>), labels y [N] in 0..C−1, and an undirected edge index.
/// </summary>
public sealed record GraphDataset(string Name, CsrMatrix Features, int[] Labels, int NumClasses, EdgeIndex Edges, string SourcePath)
{
    public int NumNodes => Labels.Length;
    public int NumFeatures => Features.Columns;

    /// <summary>
    /// Throws a <see cref="DataFormatException"/> naming <see cref="SourcePath"/> for what no run can train on: no
    /// nodes, a label outside 0..C−1, a NaN or infinite feature, an edge to a missing node. Isolated nodes are fine.
    /// </summary>
    public GraphDataset Check()
    {
        if (NumNodes == 0) throw new DataFormatException(SourcePath, "the graph has no nodes");
        if (Features.Rows != NumNodes)
            throw new DataFormatException(SourcePath, $"has {Features.Rows} feature rows but {NumNodes} labels");
        for (int i = 0; i < NumNodes; i++)
            if (Labels[i] < 0 || Labels[i] >= NumClasses)
                throw new DataFormatException(SourcePath, $"label {Labels[i]} of node {i} is outside 0..{NumClasses - 1}");
        for (int i = 0; i < Features.Rows; i++)
            for (int k = Features.RowPointer[i]; k < Features.RowPointer[i + 1]; k++)
                if (!float.IsFinite(Features.Values[k]))
                    throw new DataFormatException(SourcePath, $"feature {Features.ColumnIndex[k]} of node {i} is {Features.Values[k]}, not a finite number");
        for (int e = 0; e < Edges.Count; e++)
            if ((uint)Edges.Source[e] >= (uint)NumNodes || (uint)Edges.Target[e] >= (uint)NumNodes)
                throw new DataFormatException(SourcePath, $"edge {Edges.Source[e]} → {Edges.Target[e]} refers to a node outside 0..{NumNodes - 1}");
        return this;
    }

    /// <summary>Number of nodes of each class.</summary>
    public int[] LabelHistogram()
    {
        var counts = new int[NumClasses];
        foreach (int y in Labels) counts[y]++;
        return counts;
    }
}
