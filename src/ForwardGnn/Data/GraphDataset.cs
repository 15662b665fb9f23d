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

    /// <summary>Number of nodes of each class.</summary>
    public int[] LabelHistogram()
    {
        var counts = new int[NumClasses];
        foreach (int y in Labels) counts[y]++;
        return counts;
    }
}
