using System.IO.Compression;
using System.Text.Json;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli;

public class DatasetsCommandTests
{
    [Fact]
    public void JsonListsTheRealDatasetsWithTheirCounts()
    {
        CliRunner.Result r = CliRunner.Run("datasets", "--json", "--data-root", SharedData.Root);
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var rows = doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal(2995, rows["CitationFull-Cora_ML"].GetProperty("nodes").GetInt32());
        Assert.Equal(16316, rows["CitationFull-Cora_ML"].GetProperty("edges").GetInt32());
        Assert.Equal(602, rows["CitationFull-CiteSeer"].GetProperty("features").GetInt32());
        Assert.Equal(8, rows["Amazon-Photo"].GetProperty("classes").GetInt32());
        Assert.Equal(578006, rows["GitHub"].GetProperty("edges").GetInt32());
        Assert.Equal(10556, rows["Planetoid-Cora"].GetProperty("edges").GetInt32());
        Assert.Equal(3703, rows["Planetoid-CiteSeer"].GetProperty("features").GetInt32());
    }

    public static TheoryData<string, Action<string>, string> BadInputs() => new()
    {
        { "truncated zip", path => Truncate(path), "truncated or corrupt" },
        { "unknown dtype", path => NpzBuilder.SmallGraph().Replace("labels", "<c8", [5], new byte[40]).Write(path), "unsupported dtype '<c8'" },
        { "shape mismatch", path => NpzBuilder.SmallGraph().Replace("labels", "<i8", [6], new byte[40]).Write(path), "needs 48 data bytes" },
        { "edge out of range", path => NpzBuilder.SmallGraph().Replace("adj_indices", "<i4", [5], NpzBuilder.Bytes(1, 0, 2, 3, 77)).Write(path), "out of range" },
        { "empty file", path => File.WriteAllBytes(path, []), "file is empty" },
        { "missing member", path => NpzBuilder.SmallGraph().Remove("labels").Write(path), "has no array 'labels'" },
        { "labels of wrong length", path => NpzBuilder.SmallGraph().Replace("labels", "<i8", [3], new byte[24]).Write(path), "has 3 labels but the graph has 5 nodes" },
    };

    private static void Truncate(string path)
    {
        NpzBuilder.SmallGraph().Write(path, CompressionLevel.Optimal);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 30)]);
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputGivesOneLineAndExitCodeTwo(string _, Action<string> write, string expected)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["CitationFull-Cora_ML"]);
        string file = dir["CitationFull-Cora_ML/cora_ml.npz"];
        write(file);

        CliRunner.Result r = CliRunner.Run("datasets", "--data-root", dir.Path);

        Assert.Equal(2, r.ExitCode);
        string line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(file, line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void MissingDatasetIsReportedWithExitCodeTwo()
    {
        using var dir = new TempDir();
        CliRunner.Result r = CliRunner.Run("train", "--dataset", "cora_ml", "--data-root", dir.Path, "--epochs", "2", "--no-download");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("CitationFull-Cora_ML not found", r.Stderr);
    }
}
