using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Data.Splits;

public class NodeSplitsTests
{
    [Fact]
    public void OfficialCoraMlSplitZeroHasThePublishedSizes()
    {
        GraphDataset data = SharedData.Load("cora_ml");
        NodeSplit split = OfficialSplits.Load(SharedData.Roots, data, 0);
        Assert.Equal((1916, 480, 599), (split.Train.Length, split.Val.Length, split.Test.Length));
        Assert.Equal([0, 2, 3], split.Train[..3]);
        Assert.Equal([1, 13, 14], split.Val[..3]);
        Assert.Equal([4, 6, 7], split.Test[..3]);
        Assert.NotEqual("generated node split", split.Origin);
    }

    [Theory]
    [InlineData("citeseer", 2707, 677, 846)]
    [InlineData("photo", 4896, 1224, 1530)]
    public void EveryOfficialSplitPartitionsTheNodes(string name, int train, int val, int test)
    {
        GraphDataset data = SharedData.Load(name);
        for (int i = 0; i < NodeSplits.Count; i++)
        {
            NodeSplit split = OfficialSplits.Load(SharedData.Roots, data, i);
            Assert.Equal((train, val, test), (split.Train.Length, split.Val.Length, split.Test.Length));
        }
    }

    /// <summary>Oracle: the reference's own split files, which scikit-learn and NumPy drew.</summary>
    [Theory]
    [InlineData("cora_ml")]
    [InlineData("citeseer")]
    [InlineData("photo")]
    public void GeneratedSplitsAreTheOfficialOnes(string name)
    {
        GraphDataset data = SharedData.Load(name);
        for (int i = 0; i < NodeSplits.Count; i++)
        {
            NodeSplit official = OfficialSplits.Load(SharedData.Roots, data, i), generated = NodeSplits.Generate(data.NumNodes, i);
            Assert.Equal(official.Test, generated.Test);
            Assert.Equal(official.Val, generated.Val);
            Assert.Equal(official.Train, generated.Train);
        }
    }

    [Theory]
    [InlineData(2995, 0, 1916, 480, 599)]
    [InlineData(19717, 0, 12618, 3155, 3944)]
    [InlineData(19717, 4, 12619, 3155, 3943)]
    public void GeneratedSplitsHaveScikitLearnSizes(int n, int index, int train, int val, int test)
    {
        NodeSplit split = NodeSplits.Generate(n, index);
        Assert.Equal((train, val, test), (split.Train.Length, split.Val.Length, split.Test.Length));
        split.CheckPartition(n, "generated");
    }

    [Fact]
    public void GeneratedTestFoldsAreDisjointAcrossSplits()
    {
        int[] all = Enumerable.Range(0, NodeSplits.Count).SelectMany(i => NodeSplits.Generate(500, i).Test).ToArray();
        Assert.Equal(Enumerable.Range(0, 500), all.Order());
        Assert.Equal(NodeSplits.Generate(500, 2).Val, NodeSplits.Generate(500, 2).Val);
    }

    [Fact]
    public void ReportsBrokenSplitFile()
    {
        using var dir = new TempDir();
        string folder = dir["forwardgnn-datasplits/datasplits/CitationFull-Cora_ML/node-5splits"];
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "train-node-index-split0.pt"), [1, 2, 3]);
        var e = Assert.Throws<DataFormatException>(() =>
            OfficialSplits.Load(new DataRoots([dir.Path], dir.Path), SharedData.Load("cora_ml"), 0));
        Assert.EndsWith("train-node-index-split0.pt", e.File);
    }
}
