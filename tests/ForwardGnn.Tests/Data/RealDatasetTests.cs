using System.Text.Json;
using ForwardGnn.Data;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Data;

/// <summary>The real datasets, processed as PyG 2.2 does, checked against the counts and checksums in stats.json.</summary>
public class RealDatasetTests
{
    private static JsonElement Stats(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedData.Root, "stats.json")));
        return doc.RootElement.GetProperty(name).GetProperty("stats").Clone();
    }

    [Theory]
    [InlineData("CitationFull-Cora_ML", "num_edges_pyg_directed")]
    [InlineData("CitationFull-CiteSeer", "num_edges_pyg_directed")]
    [InlineData("Amazon-Photo", "num_edges_pyg_directed")]
    [InlineData("GitHub", "num_edges_directed_after_symmetrization")]
    public void CountsLabelsAndEdgesMatchStats(string name, string edgeKey)
    {
        JsonElement stats = Stats(name);
        GraphDataset data = SharedData.Load(name);

        Assert.Equal(stats.GetProperty("num_nodes").GetInt32(), data.NumNodes);
        Assert.Equal(stats.GetProperty(edgeKey).GetInt32(), data.Edges.Count);
        Assert.Equal(stats.GetProperty("num_classes").GetInt32(), data.NumClasses);
        Assert.Equal(stats.GetProperty("label_counts").EnumerateArray().Select(e => e.GetInt32()), data.LabelHistogram());
        Assert.True(data.Edges.IsUndirected());

        long edgeKeySum = 0;
        for (int e = 0; e < data.Edges.Count; e++) edgeKeySum += (long)data.Edges.Source[e] * data.NumNodes + data.Edges.Target[e];
        Assert.Equal(stats.GetProperty("checksum_edge_key_sum").GetInt64(), edgeKeySum);
    }

    [Theory]
    [InlineData("CitationFull-Cora_ML")]
    [InlineData("CitationFull-CiteSeer")]
    [InlineData("Amazon-Photo")]
    public void FeaturesAreBinarisedThenRowNormalised(string name)
    {
        JsonElement stats = Stats(name);
        GraphDataset data = SharedData.Load(name);
        CsrMatrix x = data.Features;

        Assert.Equal(stats.GetProperty("num_features").GetInt32(), data.NumFeatures);
        Assert.Equal(stats.GetProperty("x_nonzeros_binarized").GetInt32(), x.StoredCount);
        long keySum = 0;
        int emptyRows = 0;
        for (int r = 0; r < x.Rows; r++)
        {
            int count = x.RowPointer[r + 1] - x.RowPointer[r];
            if (count == 0) emptyRows++;
            for (int k = x.RowPointer[r]; k < x.RowPointer[r + 1]; k++)
            {
                keySum += (long)r * x.Columns + x.ColumnIndex[k];
                Assert.Equal(1f / Math.Max(count, 1), x.Values[k], 1e-6f);
            }
        }
        Assert.Equal(stats.GetProperty("checksum_x_key_sum").GetInt64(), keySum);
        Assert.Equal(stats.GetProperty("nodes_with_no_features").GetInt32(), emptyRows);
    }

    [Fact]
    public void GitHubRawFeaturesAreABagOfFeatureIds()
    {
        JsonElement stats = Stats("GitHub");
        GraphDataset data = SharedData.Load("github");
        Assert.Equal(stats.GetProperty("raw_feature_distinct_ids").GetInt32(), data.NumFeatures);
        int entries = stats.GetProperty("raw_feature_total_entries").GetInt32() - stats.GetProperty("raw_feature_dup_within_node").GetInt32();
        Assert.Equal(entries, data.Features.StoredCount);
    }

    [Fact]
    public void NamesAndAliasesResolveCaseInsensitively()
    {
        Assert.Equal("CitationFull-Cora_ML", DatasetCatalog.Find("CORA_ML").Name);
        Assert.Equal("Amazon-Photo", DatasetCatalog.Find("photo").Name);
        Assert.Equal("CitationFull-CiteSeer", DatasetCatalog.Find("citationfull-citeseer").Name);
        Assert.Contains("unknown dataset 'nope'", Assert.Throws<ArgumentException>(() => DatasetCatalog.Find("nope")).Message);
    }

    [Fact]
    public void ExplicitRootIsTheOnlyRoot()
    {
        using var dir = new TempDir();
        DataRoots roots = DataRoots.Resolve(dir.Path);
        Assert.Equal([dir.Path], roots.SearchOrder);
        Assert.Throws<DatasetNotFoundException>(() => new DatasetLoader(roots).Load("cora_ml"));
    }
}
