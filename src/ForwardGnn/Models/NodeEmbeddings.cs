namespace ForwardGnn.Models;

/// <summary>Node representations, row-major [<see cref="Rows"/>, <see cref="Columns"/>]: row i is node i.</summary>
public sealed record NodeEmbeddings(float[] Values, int Rows, int Columns)
{
    /// <summary>The representation of node <paramref name="node"/>, [Columns].</summary>
    public ReadOnlySpan<float> Row(int node) => Values.AsSpan(node * Columns, Columns);
}
