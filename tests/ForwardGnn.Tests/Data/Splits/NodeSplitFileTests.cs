using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Data.Splits;

public class NodeSplitFileTests
{
    private static NodeSplit Read(string text, int numNodes = 6)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["split.csv"], text);
        return NodeSplitFile.Read(dir["split.csv"], numNodes);
    }

    [Fact]
    public void ReadsSortedPartsAndMayLeaveNodesOut()
    {
        NodeSplit s = Read("node,part\n3,train\n0,train\n# comment\n1,val\n5,TEST\n");
        Assert.Equal([0, 3], s.Train);
        Assert.Equal([1], s.Val);
        Assert.Equal([5], s.Test);
        Assert.Equal(0, s.Index);
    }

    [Theory]
    [InlineData("0,train\n1,valid\n", "line 2: expected 'node,part'")]
    [InlineData("0,train\n0,val\n2,test\n", "line 2: node 0 is listed twice")]
    [InlineData("0,train\n9,val\n2,test\n", "line 2: node 9 is outside 0..5")]
    [InlineData("0,train\n2,test\n", "the validation set of split 0 is empty")]
    public void BadFilesNameTheLine(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<DataFormatException>(() => Read(text)).Message);

    [Fact]
    public void APublicSplitNeedNotCoverEveryNodeButAGeneratedOneMust()
    {
        var split = new NodeSplit(0, [0], [1], [2], "test");
        split.CheckDisjoint(5, "test");
        Assert.Contains("node 3 is in no part", Assert.Throws<DataFormatException>(() => split.CheckPartition(5, "test")).Message);
    }
}
