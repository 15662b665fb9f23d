using ForwardGnn.Data;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Data;

public class DatasetDownloaderTests
{
    private static DatasetDownloader Mirror(LoopbackFileServer server) =>
        new(new HttpClient(), info => new Uri(server.BaseUrl, $"{info.Name}/{info.Formats[0].FileNames.Last()}"));

    [Fact]
    public void DownloadsChecksAndThenReadsLocally()
    {
        using var server = new LoopbackFileServer(SharedData.Root);
        using var dir = new TempDir();
        var reports = new List<DownloadProgress>();
        var progress = new SynchronousProgress<DownloadProgress>(reports.Add);
        var loader = new DatasetLoader(new DataRoots([dir.Path], dir.Path), Mirror(server), progress);

        GraphDataset data = loader.Load("cora_ml");

        Assert.Equal((2995, 16316), (data.NumNodes, data.Edges.Count));
        string file = dir["CitationFull-Cora_ML/cora_ml.npz"];
        Assert.True(File.Exists(file));
        Assert.False(File.Exists(file + ".part"));
        Assert.Equal(new FileInfo(file).Length, reports[^1].Received);
        Assert.Equal(reports[^1].Total, reports[^1].Received);

        loader.Load("cora_ml");
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public void MissingRemoteFileLeavesNothingBehind()
    {
        using var server = new LoopbackFileServer(SharedData.Root);
        using var dir = new TempDir();
        var loader = new DatasetLoader(new DataRoots([dir.Path], dir.Path), Mirror(server));

        var e = Assert.Throws<DatasetNotFoundException>(() => loader.Load("pubmed"));
        Assert.Contains("HTTP 404", e.Message);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void WrongFileIsRejectedByTheStructuralCheck()
    {
        using var mirror = new TempDir();
        Directory.CreateDirectory(mirror["CitationFull-Cora_ML"]);
        File.Copy(Path.Combine(SharedData.Root, "CitationFull-CiteSeer", "citeseer_full.npz"), mirror["CitationFull-Cora_ML/cora_ml.npz"]);
        using var server = new LoopbackFileServer(mirror.Path);
        using var dir = new TempDir();
        var loader = new DatasetLoader(new DataRoots([dir.Path], dir.Path), Mirror(server));

        var e = Assert.Throws<DataFormatException>(() => loader.Load("cora_ml"));
        Assert.Contains("should have 2995", e.Message);
        Assert.False(File.Exists(dir["CitationFull-Cora_ML/cora_ml.npz"]));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
