using ForwardGnn.Cli.Reproduce;

namespace ForwardGnn.Tests.Cli.Reproduce;

public class PaperResultsTests
{
    [Theory]   // spot checks against paper-results.md: Tables 5, 3a, 10b, 9a
    [InlineData("node", "CitationFull-Cora_ML", "sf", "gcn", 4, 88.48, 1.2)]
    [InlineData("node", "Amazon-Photo", "bp", "gcn", 2, 64.88, 16.1)]
    [InlineData("node", "Amazon-Photo", "sf-t2i", "gat", 3, 91.53, 1.1)]
    [InlineData("link", "CitationFull-Cora_ML", "bp", "gat", 2, 77.69, 1.0)]
    [InlineData("link", "CitationFull-CiteSeer", "fl-ce-t2i", "sage", 1, 75.51, 1.0)]
    [InlineData("link", "CitationFull-CiteSeer", "fl-ff", "gat", 1, 78.14, 5.5)]
    [InlineData("node", "CitationFull-Cora_ML", "symba", "sage", 2, 87.28, 0.7)]
    [InlineData("node", "CitationFull-CiteSeer", "pepita", "sage", 4, 18.13, 1.7)]
    [InlineData("link", "Amazon-Photo", "cafo", "gat", 4, 91.38, 2.3)]
    [InlineData("link", "CitationFull-Cora_ML", "fl-symba", "gcn", 2, 87.52, 5.6)]
    public void TranscribedNumbersMatchThePaper(string task, string dataset, string algo, string gnn, int layers, double mean, double std)
    {
        Assert.Equal(new PaperValue(mean, std), PaperResults.Find(task, dataset, algo, gnn, layers));
    }

    [Fact]
    public void MethodsAreNamedAsInThePaper()
    {
        Assert.Equal("FG-CE-T2I-GAT", PaperResults.Label("fl-ce-t2i", "gat"));
        Assert.Equal("SF-T2L-SAGE", PaperResults.Label("sf-t2l", "sage"));
        Assert.Null(PaperResults.Find("node", "CitationFull-Cora_ML", "fl-ce", "gcn", 2));
        Assert.Null(PaperResults.Find("node", "CitationFull-Cora_ML", "sf", "gcn", 5));
    }

    [Fact]
    public void OurVariantHasItsOwnNameButIsComparedWithTheMethodsRow()
    {
        Assert.Equal("PEPITA+Adam-GCN", PaperResults.Label("pepita-adam", "gcn"));
        Assert.NotEqual(PaperResults.Label("pepita", "gcn"), PaperResults.Label("pepita-adam", "gcn"));
        Assert.Equal(PaperResults.Find("node", "Amazon-Photo", "pepita", "sage", 2), PaperResults.Find("node", "Amazon-Photo", "pepita-adam", "sage", 2));
    }
}
