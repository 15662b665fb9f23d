using ForwardGnn.Cli.Reproduce;

namespace ForwardGnn.Tests.Cli.Reproduce;

public class ExperimentMatrixTests
{
    [Fact]
    public void LayerWiseAlgorithmsRunOnceAtTheLargestDepthAndUnsupportedTasksAreSkipped()
    {
        List<MatrixRun> runs = ExperimentMatrix.Expand(["cora_ml"], ["node", "link"], ["gcn"], ["bp", "sf", "sf-t2l", "fl-ce"], [1, 2, 3], [0, 1]);

        Assert.All(runs, r => Assert.Equal("CitationFull-Cora_ML", r.Dataset));
        Assert.Equal([1, 2, 3], runs.Where(r => r.Algo == "bp" && r.Task == "node" && r.Split == 0).Select(r => r.Layers));
        Assert.Equal([1, 2, 3], runs.Where(r => r.Algo == "sf-t2l" && r.Split == 1).Select(r => r.Layers));
        Assert.Equal([3, 3], runs.Where(r => r.Algo == "sf").Select(r => r.Layers));
        Assert.All(runs.Where(r => r.Algo is "sf" or "sf-t2l"), r => Assert.Equal("node", r.Task));
        Assert.All(runs.Where(r => r.Algo == "fl-ce"), r => Assert.Equal(("link", 3), (r.Task, r.Layers)));
        Assert.Equal(2 * 3 + 2 + 2 * 3 + 2 * 3 + 2, runs.Count);   // bp node, sf, sf-t2l, bp link, fl-ce
        Assert.Equal(runs.Count, runs.Distinct().Count());
    }
}
