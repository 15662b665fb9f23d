using ForwardGnn.Data;
using ForwardGnn.Graphs;
using ForwardGnn.Learning.Forward;

namespace ForwardGnn.Tests.Learning.Forward;

public class VirtualNodeAugmenterTests
{
    // 4 nodes, path 0-1-2-3, classes 0,1,0,1, two features.
    private static GraphDataset Path() => new("path", CsrMatrix.FromDense(4, 2, [1, 0, 0, 1, 1, 1, 0, 0]), [0, 1, 0, 1], 2,
        EdgeIndex.Build(4, [0, 1, 2], [1, 2, 3]), "");

    [Fact]
    public void LinksMaskedNodesToTheirClassNodeBothWays()
    {
        var augmenter = new VirtualNodeAugmenter(Path(), [5, 6, 7, 8]);
        EdgeIndex g = augmenter.Augment([0, 1, 0, 1], augmenter.Mask([0, 1]));

        var edges = Enumerable.Range(0, g.Count).Select(e => (g.Source[e], g.Target[e])).ToHashSet();
        Assert.Equal(6, g.NumNodes);
        Assert.Equal(6 + 4, g.Count);
        Assert.Contains((0, 4), edges);   // node 0 → v_0
        Assert.Contains((4, 0), edges);
        Assert.Contains((1, 5), edges);   // node 1 → v_1
        Assert.Contains((5, 1), edges);
        Assert.DoesNotContain((2, 4), edges);   // node 2 is not in the mask
        Assert.Equal(4, augmenter.VirtualNode(0));
    }

    [Fact]
    public void UnidirectionalModeAddsRealToVirtualOnly()
    {
        var augmenter = new VirtualNodeAugmenter(Path(), [5, 6, 7, 8]);
        EdgeIndex g = augmenter.Augment([1, 1, 1, 1], augmenter.Mask([3]), bidirectional: false);
        Assert.Equal(7, g.Count);
        Assert.Contains(Enumerable.Range(0, g.Count), e => g.Source[e] == 3 && g.Target[e] == 5);
        Assert.DoesNotContain(Enumerable.Range(0, g.Count), e => g.Source[e] == 5);
    }

    [Fact]
    public void FeaturesStackTheClassFeaturesUnderTheRealOnes()
    {
        var augmenter = new VirtualNodeAugmenter(Path(), [5, 6, 7, 8]);
        Assert.Equal(new float[] { 1, 0, 0, 1, 1, 1, 0, 0, 5, 6, 7, 8 }, augmenter.Features.ToDense());
    }
}
