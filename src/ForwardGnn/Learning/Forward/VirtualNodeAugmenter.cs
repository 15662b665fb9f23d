using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// Virtual class nodes (spec §3.5): class c gets node v_c = N + c with fixed features drawn once from N(0, 1)
/// (<see cref="ClassFeatures"/>, C×F, never trained). <see cref="Augment"/> links every masked real node i to
/// v_{assign[i]} in both directions (or real → virtual only), keeping the original edges.
/// </summary>
internal sealed class VirtualNodeAugmenter
{
    public VirtualNodeAugmenter(GraphDataset data, float[] classFeatures)
    {
        if (classFeatures.Length != data.NumClasses * data.NumFeatures)
            throw new ArgumentException("class features must be C × F");
        Data = data;
        ClassFeatures = classFeatures;
    }

    public GraphDataset Data { get; }
    public int NumClasses => Data.NumClasses;
    public int NumReal => Data.NumNodes;

    /// <summary>Virtual-node features V [C, F], row-major.</summary>
    public float[] ClassFeatures { get; }

    /// <summary>X_aug = [X ; V], shape [N + C, F].</summary>
    public CsrMatrix Features => _features ??= Stack(Data.Features, ClassFeatures, Data.NumClasses);   // built when first read: a partition needs only the graph

    private CsrMatrix? _features;

    /// <summary>Node id of the virtual node of class <paramref name="c"/>.</summary>
    public int VirtualNode(int c) => NumReal + c;

    /// <summary>The augmented graph on N + C nodes.</summary>
    public EdgeIndex Augment(int[] assign, bool[] linkMask, bool bidirectional = true)
    {
        var source = new List<int>();
        var target = new List<int>();
        for (int i = 0; i < NumReal; i++)
        {
            if (!linkMask[i]) continue;
            source.Add(i);
            target.Add(VirtualNode(assign[i]));
            if (!bidirectional) continue;
            source.Add(VirtualNode(assign[i]));
            target.Add(i);
        }
        return Data.Edges.WithEdges(NumClasses, source.ToArray(), target.ToArray());
    }

    /// <summary>A mask over the real nodes that is true exactly at <paramref name="nodes"/>.</summary>
    public bool[] Mask(IEnumerable<int> nodes) => NodeSplit.Mask(NumReal, nodes);

    private static CsrMatrix Stack(CsrMatrix x, float[] extra, int extraRows)
    {
        int f = x.Columns;
        var pointer = new int[x.Rows + extraRows + 1];
        Array.Copy(x.RowPointer, pointer, x.Rows + 1);
        for (int r = 0; r < extraRows; r++) pointer[x.Rows + r + 1] = pointer[x.Rows + r] + f;
        int[] index = [.. x.ColumnIndex, .. Enumerable.Range(0, extraRows).SelectMany(_ => Enumerable.Range(0, f))];
        float[] values = [.. x.Values, .. extra];
        return new CsrMatrix(x.Rows + extraRows, f, pointer, index, values);
    }
}
