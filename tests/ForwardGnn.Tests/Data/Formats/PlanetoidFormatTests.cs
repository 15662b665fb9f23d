using System.Text.Json;
using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Data.Formats;

/// <summary>The raw Planetoid files in the shared folder, built as PyG 2.2 builds them (counts and checksums from stats.json).</summary>
public class PlanetoidFormatTests
{
    [Theory]
    [InlineData("planetoid-cora", "Planetoid-Cora", 2708, 10556, 1433, 7, 140)]
    [InlineData("planetoid_citeseer", "Planetoid-CiteSeer", 3327, 9104, 3703, 6, 120)]
    public void CountsAndPublicSplitMatchPyg(string alias, string name, int nodes, int edges, int features, int classes, int train)
    {
        GraphDataset data = SharedData.Load(alias);
        Assert.Equal(name, data.Name);
        Assert.Equal((nodes, edges, features, classes), (data.NumNodes, data.Edges.Count, data.NumFeatures, data.NumClasses));
        Assert.True(data.Edges.IsUndirected());

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedData.Root, "stats.json")));
        JsonElement stats = doc.RootElement.GetProperty(name).GetProperty("stats");
        Assert.Equal(stats.GetProperty("label_counts").EnumerateArray().Select(e => e.GetInt32()), data.LabelHistogram());
        long edgeKeySum = 0;
        for (int e = 0; e < data.Edges.Count; e++) edgeKeySum += (long)data.Edges.Source[e] * data.NumNodes + data.Edges.Target[e];
        Assert.Equal(stats.GetProperty("checksum_edge_key_sum").GetInt64(), edgeKeySum);
        Assert.Equal(stats.GetProperty("x_nonzeros").GetInt32(), data.Features.StoredCount);

        NodeSplit split = OfficialSplits.Load(SharedData.Roots, data, 0);
        Assert.Equal((train, 500, 1000), (split.Train.Length, split.Val.Length, split.Test.Length));
        Assert.Equal(Enumerable.Range(0, train), split.Train);
        Assert.Equal(Enumerable.Range(train, 500), split.Val);
        Assert.Equal(split.Test.Order(), split.Test);
        split.CheckEveryClassIsTrained(data.Labels, data.NumClasses);
        NodeSplit repeat = OfficialSplits.Load(SharedData.Roots, data, 4);   // the same split, numbered for a run of its own seed
        Assert.Equal((4, split.Train, split.Val, split.Test), (repeat.Index, repeat.Train, repeat.Val, repeat.Test));
        Assert.Contains("split 5", Assert.Throws<ArgumentException>(() => OfficialSplits.Load(SharedData.Roots, data, 5)).Message);
    }

    [Fact]
    public void CiteSeersMissingTestNodesGetZeroFeaturesAndClassZero()
    {
        GraphDataset data = SharedData.Load("planetoid-citeseer");
        NodeSplit split = OfficialSplits.Load(SharedData.Roots, data, 0);
        int[] padded = Enumerable.Range(2312, 3327 - 2312).Except(split.Test).ToArray();
        Assert.Equal(15, padded.Length);
        foreach (int node in padded)
        {
            Assert.Equal(0, data.Labels[node]);
            Assert.Equal(data.Features.RowPointer[node], data.Features.RowPointer[node + 1]);
        }
    }

    [Fact]
    public void FeaturesAreRowNormalised()
    {
        CsrMatrix x = SharedData.Load("planetoid-cora").Features;
        for (int r = 0; r < x.Rows; r++)
        {
            int count = x.RowPointer[r + 1] - x.RowPointer[r];
            for (int k = x.RowPointer[r]; k < x.RowPointer[r + 1]; k++) Assert.Equal(1f / count, x.Values[k], 1e-6f);
        }
    }

    [Fact]
    public void AFolderPathLoadsTheSameGraph()
    {
        GraphDataset byPath = GraphDataset.Load(Path.Combine(SharedData.Root, "Planetoid-Cora"));
        GraphDataset byName = SharedData.Load("planetoid-cora");
        Assert.Equal(byName.Edges.Source, byPath.Edges.Source);
        Assert.Equal(byName.Labels, byPath.Labels);
        Assert.Equal(byName.PublicSplit!.Test, byPath.PublicSplit!.Test);
    }
}
