using ForwardGnn.Data;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Data.Formats;

/// <summary>A user's graph as a folder of edges.csv, features.csv or features.npy, and labels.csv.</summary>
public class EdgeListFolderFormatTests
{
    private static GraphDataset LoadFolder(TempDir dir, params (string File, string Text)[] files)
    {
        foreach ((string file, string text) in files) File.WriteAllText(dir[file], text);
        return GraphDataset.Load(dir.Path);
    }

    [Fact]
    public void ReadsEdgesFeaturesAndLabelsWithHeaders()
    {
        using var dir = new TempDir();
        GraphDataset g = LoadFolder(dir,
            ("edges.csv", "source,target\n0,1\n1,0\n1,2\n2,2\n"),
            ("features.csv", "a,b\n1,0\n0,2\n1,1\n3,0\n"),
            ("labels.csv", "label\n0\n1\n1\n0\n"));

        Assert.Equal(Path.GetFileName(dir.Path), g.Name);
        Assert.Equal(4, g.NumNodes);   // features and labels have a row for node 3, which has no edge
        Assert.Equal(2, g.NumClasses);
        Assert.Equal([0, 1, 1, 0], g.Labels);
        // Undirected, duplicates merged, the self-loop kept.
        Assert.Equal([0, 1, 1, 2, 2], g.Edges.Source);
        Assert.Equal([1, 0, 2, 1, 2], g.Edges.Target);
        Assert.Equal(new float[] { 1, 0, 0, 1, 0.5f, 0.5f, 1, 0 }, g.Features.ToDense());   // row-normalised
        Assert.Null(g.PublicSplit);
    }

    [Fact]
    public void ReadsFilesWithoutHeadersAndNodeLabelPairs()
    {
        using var dir = new TempDir();
        GraphDataset g = LoadFolder(dir, ("edges.csv", "0 1\n# a comment\n\n2\t1\n"), ("labels.csv", "2,1\n0,0\n1,2\n"));
        Assert.Equal(3, g.NumNodes);
        Assert.Equal([0, 2, 1], g.Labels);
        Assert.Equal(3, g.NumClasses);
        Assert.Equal(4, g.Edges.Count);
    }

    [Fact]
    public void WithoutFeaturesOrLabelsEachNodeIsItsOwnFeatureAndAllShareOneClass()
    {
        using var dir = new TempDir();
        GraphDataset g = LoadFolder(dir, ("edges.csv", "0,1\n1,2\n"));
        Assert.Equal(3, g.NumFeatures);
        Assert.Equal(new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, g.Features.ToDense());
        Assert.Equal([0, 0, 0], g.Labels);
        Assert.Equal(1, g.NumClasses);
    }

    [Fact]
    public void LargeGraphsWithoutFeaturesGetOneConstantFeature()
    {
        CsrMatrix x = DefaultFeatures.For(DefaultFeatures.IdentityLimit + 1);
        Assert.Equal(1, x.Columns);
        Assert.All(x.Values, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void ReadsFeaturesNpy()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["features.npy"], NpzBuilder.Npy("<f8", [3, 2], NpzBuilder.Bytes(1.0, 1.0, 0.0, 4.0, 2.0, 0.0)));
        GraphDataset g = LoadFolder(dir, ("edges.csv", "0,1\n"));
        Assert.Equal(3, g.NumNodes);
        Assert.Equal(new float[] { 0.5f, 0.5f, 0, 1, 1, 0 }, g.Features.ToDense());
    }

    [Theory]
    [InlineData("edges.csv", "0,1\n1,x\n", "edges.csv: line 2: 'x' is not a node id")]
    [InlineData("edges.csv", "source,target\n0,1\n1,2,3\n", "edges.csv: line 3: expected 'source,target', found 3 fields")]
    [InlineData("edges.csv", "0,-4\n", "edges.csv: line 1: '-4' is not a node id")]
    [InlineData("edges.csv", "0,100000000\n", "edges.csv: line 1: node id 100000000 is too large")]
    [InlineData("labels.csv", "0\n1\nfoo\n", "labels.csv: line 3: 'foo' is not a label")]
    [InlineData("labels.csv", "0\n1\n", "labels.csv: node 2 has no label")]
    [InlineData("labels.csv", "0,1\n0,1\n", "labels.csv: line 2: node 0 is labelled twice")]
    [InlineData("features.csv", "1,2\n3\n", "features.csv: line 2: 1 columns where the rows before have 2")]
    [InlineData("features.csv", "1\n2\n", "features.csv: has 2 rows but node ids run up to 2")]
    [InlineData("features.csv", "1\nnan\n1\n", "features.csv: line 2: 'nan' is not a finite number")]
    public void BadLinesNameTheFileAndLine(string file, string text, string expected)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["edges.csv"], "0,1\n1,2\n");
        File.WriteAllText(dir[file], text);
        var e = Assert.Throws<DataFormatException>(() => GraphDataset.Load(dir.Path));
        Assert.Contains(dir[expected.Split(':')[0]] + ":" + expected[(expected.IndexOf(':') + 1)..], e.Message);
    }

    [Fact]
    public void PathsThatHoldNoGraphAreNotFound()
    {
        using var dir = new TempDir();
        Assert.Contains("no edges.csv", Assert.Throws<DatasetNotFoundException>(() => GraphDataset.Load(dir.Path)).Message);
        Assert.Contains("no such file", Assert.Throws<DatasetNotFoundException>(() => GraphDataset.Load(dir["missing/graph"])).Message);
        Assert.Contains("unknown dataset", Assert.Throws<ArgumentException>(() => GraphDataset.Load("no-such-name")).Message);
    }

    [Fact]
    public void AnNpzPathIsReadAsGraph2Gauss()
    {
        using var dir = new TempDir();
        NpzBuilder.SmallGraph().Write(dir["mine.npz"]);
        GraphDataset g = GraphDataset.Load(dir["mine.npz"]);
        Assert.Equal("mine", g.Name);
        Assert.Equal(5, g.NumNodes);
        Assert.Equal(6, g.Edges.Count);
    }
}
