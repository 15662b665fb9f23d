using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Data.Splits;

public class RandomLinkSplitTests
{
    [Theory]
    [InlineData("cora_ml", 5222, 1305, 1631)]
    [InlineData("citeseer", 3417, 853, 1067)]
    public void SizesFollowTheSpec(string name, int train, int val, int test)
    {
        GraphDataset data = SharedData.Load(name);
        EdgeSplit split = RandomLinkSplit.Generate(data.Edges, 0);

        Assert.Equal((train, val, test), (split.Train.PositiveCount, split.Val.PositiveCount, split.Test.PositiveCount));
        Assert.Equal((2 * train, 2 * val, 2 * test), (split.Train.Count, split.Val.Count, split.Test.Count));
        Assert.Equal(2 * train, split.TrainGraph.Count);
        Assert.Equal(2 * (train + val), split.TestGraph.Count);
        Assert.Same(split.TrainGraph, split.ValGraph);
    }

    [Fact]
    public void PositivesPartitionTheEdgesAndNegativesAreNonEdges()
    {
        GraphDataset data = SharedData.Load("cora_ml");
        EdgeSplit split = RandomLinkSplit.Generate(data.Edges, 3);
        long n = data.NumNodes;
        var edges = new HashSet<long>(Enumerable.Range(0, data.Edges.Count).Select(e => data.Edges.Source[e] * n + data.Edges.Target[e]));

        var positives = new List<long>();
        var negatives = new HashSet<long>();
        foreach (LinkSupervision part in new[] { split.Train, split.Val, split.Test })
            for (int i = 0; i < part.Count; i++)
            {
                long key = part.Source[i] * n + part.Target[i];
                if (part.Label[i] == 1f)
                {
                    Assert.True(part.Source[i] < part.Target[i]);
                    positives.Add(key);
                }
                else
                {
                    Assert.NotEqual(part.Source[i], part.Target[i]);
                    Assert.DoesNotContain(key, edges);
                    Assert.True(negatives.Add(key));
                }
            }
        Assert.Equal(data.Edges.Count / 2, positives.Distinct().Count());
        Assert.Equal(positives.Count, negatives.Count);
    }

    [Fact]
    public void IsSeededPerSplit()
    {
        GraphDataset data = SharedData.Load("citeseer");
        Assert.Equal(RandomLinkSplit.Generate(data.Edges, 1).Test.Source, RandomLinkSplit.Generate(data.Edges, 1).Test.Source);
        Assert.NotEqual(RandomLinkSplit.Generate(data.Edges, 1).Test.Source, RandomLinkSplit.Generate(data.Edges, 2).Test.Source);
    }

    [Fact]
    public void MessagePassingGraphsNeverContainTheirSplitsSupervisionEdges()
    {
        GraphDataset data = SharedData.Load("cora_ml");
        EdgeSplit split = RandomLinkSplit.Generate(data.Edges, 2);
        static HashSet<(int, int)> Edges(ForwardGnn.Graphs.EdgeIndex g) =>
            Enumerable.Range(0, g.Count).Select(e => (g.Source[e], g.Target[e])).ToHashSet();
        static IEnumerable<(int, int)> Positives(LinkSupervision s) =>
            Enumerable.Range(0, s.Count).Where(i => s.Label[i] == 1f).SelectMany(i => new[] { (s.Source[i], s.Target[i]), (s.Target[i], s.Source[i]) });

        HashSet<(int, int)> trainGraph = Edges(split.TrainGraph), testGraph = Edges(split.TestGraph);
        Assert.DoesNotContain(Positives(split.Val), trainGraph.Contains);      // validation runs on the training graph
        Assert.DoesNotContain(Positives(split.Test), trainGraph.Contains);
        Assert.DoesNotContain(Positives(split.Test), testGraph.Contains);
        Assert.All(Positives(split.Val), edge => Assert.Contains(edge, testGraph));   // test message passing uses train ∪ val
        Assert.All(Positives(split.Train), edge => Assert.Contains(edge, trainGraph));
    }
}
