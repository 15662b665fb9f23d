using ForwardGnn.Data;
using ForwardGnn.Data.Formats;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Data.Formats;

public class MusaeGitHubFormatTests
{
    private const string Edges = "id_1,id_2\n0,1\n1,2\n";
    private const string Targets = "id,name,ml_target\n0,a,0\n1,b,1\n2,c,0\n";
    private const string Features = """{"0": [1, 3], "1": [0], "2": [2, 3]}""";

    private static GraphDataset Read(TempDir dir, string edges = Edges, string targets = Targets, string features = Features)
    {
        File.WriteAllText(dir["musae_git_edges.csv"], edges);
        File.WriteAllText(dir["musae_git_target.csv"], targets);
        File.WriteAllText(dir["musae_git_features.json"], features);
        return new MusaeGitHubFormat().Read("GitHub", dir["musae_git_edges.csv"]);
    }

    [Fact]
    public void ReadsASmallReleaseAsAnUndirectedGraphWithABagOfFeatureIds()
    {
        using var dir = new TempDir();
        GraphDataset data = Read(dir);
        Assert.Equal([0, 1, 0], data.Labels);
        Assert.Equal(4, data.Edges.Count);                                   // both directions of 2 edges
        Assert.Equal(4, data.NumFeatures);
        Assert.Equal([0f, 1, 0, 1], data.Features.ToDense()[..4]);
    }

    [Theory]
    [InlineData("musae_git_edges.csv", "id_1,id_2\n0;1\n", "line 2 is not 'id_1,id_2'")]
    [InlineData("musae_git_edges.csv", "id_1,id_2\n0,7\n", "node id out of range 0..2")]
    [InlineData("musae_git_edges.csv", "", "file is empty")]
    [InlineData("musae_git_target.csv", "id,name,ml_target\n0,a,0\n2,c,1\n", "line 3 is not 'id,name,ml_target' with id 1")]
    [InlineData("musae_git_target.csv", "id,name,ml_target\n0,a,0\n1,b,-1\n2,c,0\n", "-1")]
    [InlineData("musae_git_features.json", """{"0": [1], "1": [0]""", "not a JSON object of feature-id lists")]
    [InlineData("musae_git_features.json", """{"0": [1], "1": [0], "3": [2]}""", "node 2 is missing")]
    [InlineData("musae_git_features.json", """[1, 2, 3]""", "not a JSON object")]
    [InlineData("musae_git_features.json", """{"0": [1], "1": null, "2": [2]}""", "node 1: its feature list is null")]
    [InlineData("musae_git_features.json", """{"0": [1], "1": [2147483647], "2": [2]}""", "feature id 2147483647 is too large")]
    [InlineData("musae_git_features.json", """{"0": [1], "1": [2147483648], "2": [2]}""", "not a JSON object of feature-id lists")]
    [InlineData("musae_git_features.json", """{"0": [1], "1": [1e300], "2": [2]}""", "not a JSON object of feature-id lists")]
    [InlineData("musae_git_edges.csv", "id_1,id_2\n0,2147483647\n", "node id out of range 0..2")]
    public void CorruptFilesAreNamed(string file, string content, string expected)
    {
        using var dir = new TempDir();
        var error = Assert.Throws<DataFormatException>(() => Read(dir,
            edges: file == "musae_git_edges.csv" ? content : Edges,
            targets: file == "musae_git_target.csv" ? content : Targets,
            features: file == "musae_git_features.json" ? content : Features));
        Assert.Equal(dir[file], error.File);
        Assert.Contains(expected, error.Message);
    }
}
