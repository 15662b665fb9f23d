using ForwardGnn.Data;
using ForwardGnn.Data.Formats;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Data.Formats;

public class Graph2GaussNpzFormatTests
{
    private static GraphDataset Read(NpzBuilder npz)
    {
        using var dir = new TempDir();
        npz.Write(dir["g.npz"]);
        return new Graph2GaussNpzFormat("g.npz").Read("small", dir["g.npz"]);
    }

    [Fact]
    public void BuildsPygEdgeIndexAndBinaryFeatures()
    {
        GraphDataset g = Read(NpzBuilder.SmallGraph());

        // 0→1 and 1→0 merge, 3→3 is dropped, every edge gains its reverse; sorted by (source, target).
        Assert.Equal([0, 1, 1, 2, 2, 4], g.Edges.Source);
        Assert.Equal([1, 0, 2, 1, 4, 2], g.Edges.Target);
        Assert.True(g.Edges.IsUndirected());
        Assert.Equal(3, g.NumClasses);
        Assert.Equal([0, 1, 2, 1, 0], g.Labels);

        float[] x = g.Features.ToDense();
        Assert.Equal(new float[] { 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0 }, x);
    }

    [Fact]
    public void SumsDuplicateAttributeEntriesBeforeBinarising()
    {
        GraphDataset g = Read(NpzBuilder.SmallGraph()
            .Replace("attr_indices", "<i4", [6], NpzBuilder.Bytes(0, 0, 1, 2, 3, 0))
            .Replace("attr_data", "<f4", [6], NpzBuilder.Bytes(0.5f, -0.5f, 2f, 0.1f, 3f, 0.7f)));
        Assert.Equal(0f, g.Features.ToDense()[0]);
    }

    [Fact]
    public void RefusesEdgeIndexOutOfRange()
    {
        var e = Assert.Throws<DataFormatException>(() => Read(NpzBuilder.SmallGraph()
            .Replace("adj_indices", "<i4", [5], NpzBuilder.Bytes(1, 0, 2, 3, 9))));
        Assert.EndsWith("adj_indices.npy", e.File);
        Assert.Contains("index 9 at position 4 is out of range 0..4", e.Message);
    }

    [Fact]
    public void RefusesLabelsOfWrongLength()
    {
        var e = Assert.Throws<DataFormatException>(() => Read(NpzBuilder.SmallGraph()
            .Replace("labels", "<i8", [4], NpzBuilder.Bytes(0L, 1L, 2L, 1L))));
        Assert.EndsWith("labels.npy", e.File);
        Assert.Contains("has 4 labels but the graph has 5 nodes", e.Message);
    }

    [Fact]
    public void RefusesRowPointerOfWrongLength()
    {
        var e = Assert.Throws<DataFormatException>(() => Read(NpzBuilder.SmallGraph()
            .Replace("attr_indptr", "<i4", [5], NpzBuilder.Bytes(0, 2, 3, 5, 6))));
        Assert.Contains("needs 6", e.Message);
    }
}
