using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Cli.Protocol;

public class CheckpointFolderTests
{
    [Theory]
    [InlineData("split0-layer1.json", "{\"epochs\": ")]
    [InlineData("split0-layer1.json", "null")]
    [InlineData("split0-layer1.json", "{\"epochs\": \"many\"}")]
    [InlineData("split0-layer1.pt", "not a module")]
    [InlineData("split0.json", "[1, 2")]
    public void ADamagedCheckpointIsNamed(string file, string content)
    {
        using var dir = new TempDir();
        var folder = new CheckpointFolder(dir["checkpoints"]);
        using var layer = nn.Linear(3, 2);
        folder.SaveLayer(0, 1, layer, epochs: 7, bestVal: 0.5);
        File.WriteAllText(dir["checkpoints/split0.json"], "{}");
        File.WriteAllText(dir[$"checkpoints/{file}"], content);

        var error = Assert.Throws<DataFormatException>(() =>
        {
            folder.TryRestoreLayer(0, 1, layer);
            folder.TryLoadRun(0);
        });
        Assert.Equal(dir[$"checkpoints/{file}"], error.File);
        Assert.Contains("checkpoint is damaged", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public void ClearLeavesWhatItDidNotWrite()
    {
        using var dir = new TempDir();
        var folder = new CheckpointFolder(dir["checkpoints"]);
        using var layer = nn.Linear(3, 2);
        folder.SaveLayer(0, 1, layer, epochs: 7, bestVal: 0.5);
        Directory.CreateDirectory(dir["checkpoints/sub"]);
        File.WriteAllText(dir["checkpoints/sub/model.pt"], "mine");
        File.WriteAllText(dir["checkpoints/split-notes.txt"], "mine");
        folder.Clear();
        Assert.Equal(["split-notes.txt", "sub"], Directory.GetFileSystemEntries(dir["checkpoints"]).Select(Path.GetFileName).Order());
        File.Delete(dir["checkpoints/split-notes.txt"]);
        Directory.Delete(dir["checkpoints/sub"], recursive: true);
        folder.Clear();
        Assert.False(Directory.Exists(dir["checkpoints"]));
    }
}
