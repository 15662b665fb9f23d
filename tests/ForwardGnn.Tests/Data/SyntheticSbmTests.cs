using ForwardGnn.Data;

namespace ForwardGnn.Tests.Data;

public class SyntheticSbmTests
{
    [Fact]
    public void GeneratesTheRequestedGraphDeterministically()
    {
        var p = SyntheticSbm.Parse("sbm:nodes=2000,degree=10,features=64,classes=4,seed=7");
        GraphDataset a = SyntheticSbm.Generate(p), b = SyntheticSbm.Generate(p);

        Assert.Equal(2000, a.NumNodes);
        Assert.Equal(4, a.NumClasses);
        Assert.Equal(64, a.NumFeatures);
        Assert.InRange(a.Edges.Count, 19_000, 20_000);                 // N·D directed, less self-loops and repeats
        var pairs = a.Edges.Source.Zip(a.Edges.Target).ToHashSet();
        Assert.All(pairs, e => Assert.Contains((e.Second, e.First), pairs));
        double sameClass = pairs.Count(e => a.Labels[e.First] == a.Labels[e.Second]) / (double)pairs.Count;
        Assert.InRange(sameClass, 0.8, 0.9);                            // 0.8 homophilous draws + chance matches
        Assert.All(Enumerable.Range(0, a.NumNodes), i => Assert.Equal(SyntheticSbm.ActiveFeatures, a.Features.RowPointer[i + 1] - a.Features.RowPointer[i]));
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Edges.Target, b.Edges.Target);
        Assert.Equal(a.Features.ColumnIndex, b.Features.ColumnIndex);
        Assert.Equal(p.Name, a.Name);
    }

    [Fact]
    public void UnsetKeysTakeDefaultsAndBadSpecsAreRefused()
    {
        Assert.Equal(new SyntheticSbm.Parameters(10_000, 10, 128, 10, 0), SyntheticSbm.Parse("sbm:"));
        Assert.Equal(new SyntheticSbm.Parameters(500, 10, 128, 10, 3), SyntheticSbm.Parse("sbm:nodes=500,seed=3"));
        foreach (string bad in new[] { "sbm:nodes=ten", "sbm:size=5", "sbm:nodes=1", "sbm:classes=1", "sbm:nodes=-5", "sbm:nodes=100000000,degree=100" })
            Assert.Throws<ArgumentException>(() => SyntheticSbm.Parse(bad));
    }

    [Fact]
    public void LoaderBuildsItWithoutAnyDataFile()
    {
        using var dir = new Support.TempDir();
        GraphDataset data = new DatasetLoader(DataRoots.Resolve(dir.Path)).Load("sbm:nodes=300,classes=3,seed=1");
        Assert.Equal(300, data.NumNodes);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        for (int i = 0; i < data.NumNodes; i++)                          // NormalizeFeatures: rows sum to 1
            Assert.Equal(1f, data.Features.Values[data.Features.RowPointer[i]..data.Features.RowPointer[i + 1]].Sum(), 4);
    }
}
