using ForwardGnn.Data;

namespace ForwardGnn.Tests.Data;

public class GraphDatasetTests
{
    [Fact]
    public void FromArraysSymmetrisesNormalisesAndCounts()
    {
        GraphDataset g = GraphDataset.FromArrays("toy", [0, 1, 1], [1, 0, 2], new float[,] { { 2, 2 }, { 0, 0.5f }, { 1, 0 }, { 0, 0 } }, [1, 0, 1, 2]);
        Assert.Equal(4, g.NumNodes);
        Assert.Equal(3, g.NumClasses);
        Assert.Equal([0, 1, 1, 2], g.Edges.Source);
        Assert.Equal([1, 0, 2, 1], g.Edges.Target);
        Assert.Equal(new float[] { 0.5f, 0.5f, 0, 0.5f, 1, 0, 0, 0 }, g.Features.ToDense());
    }

    [Fact]
    public void FromArraysWithoutFeaturesOrLabels()
    {
        GraphDataset g = GraphDataset.FromArrays("toy", [0, 3], [1, 2]);
        Assert.Equal(4, g.NumNodes);
        Assert.Equal(4, g.NumFeatures);
        Assert.Equal(1, g.NumClasses);
    }

    [Fact]
    public void FromArraysRefusesInconsistentArrays()
    {
        Assert.Throws<DataFormatException>(() => GraphDataset.FromArrays("toy", [0], [1, 2]));
        Assert.Throws<DataFormatException>(() => GraphDataset.FromArrays("toy", [0, -1], [1, 2]));
        Assert.Throws<DataFormatException>(() => GraphDataset.FromArrays("toy", [0], [1], new float[,] { { 1 }, { 1 } }, [0, 1, 2]));
        Assert.Throws<DataFormatException>(() => GraphDataset.FromArrays("toy", [0], [1], new float[,] { { float.NaN }, { 1 } }));
        Assert.Throws<DataFormatException>(() => GraphDataset.FromArrays("toy", [0], [1], labels: [0, -1]));
    }
}
