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

    [Theory]
    [InlineData("CitationFull-Cora_ML")]
    [InlineData("CitationFull-CiteSeer")]
    [InlineData("Amazon-Photo")]
    public void TheKnownDigestIsTheSharedFilesDigest(string name)
    {
        DatasetInfo info = DatasetCatalog.Find(name);
        (string path, var format) = new DatasetLoader(SharedData.Roots).Locate(info)!.Value;
        string actual = DatasetDigest.Compute(format.Read(info.Name, path));
        Assert.True(DatasetDigest.KnownFor(info) == actual, $"{name}'s digest is {actual}");
    }

    [Fact]
    public void ADownloadWithoutAKnownDigestIsRefusedAndRemoved()
    {
        using var mirror = new TempDir();
        Directory.CreateDirectory(mirror["CitationFull-Cora"]);
        // The full Cora has no counts and no digest on record (no copy was at hand): nothing verifies its download.
        File.Copy(Path.Combine(SharedData.Root, "CitationFull-Cora_ML", "cora_ml.npz"), mirror["CitationFull-Cora/cora.npz"]);
        using var server = new LoopbackFileServer(mirror.Path);
        using var dir = new TempDir();
        var loader = new DatasetLoader(new DataRoots([dir.Path], dir.Path), Mirror(server));
        var e = Assert.Throws<DataFormatException>(() => loader.Load("cora_full"));
        Assert.Contains("has no known SHA-256", e.Message);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories));
    }

    /// <summary>A file with Cora_ML's counts but one label changed passes the count check; the digest refuses it.</summary>
    [Fact]
    public void ATamperedFileWithTheRightCountsIsRefusedAndRemoved()
    {
        using var mirror = new TempDir();
        Directory.CreateDirectory(mirror["CitationFull-Cora_ML"]);
        string original = Path.Combine(SharedData.Root, "CitationFull-Cora_ML", "cora_ml.npz");
        using (var source = System.IO.Compression.ZipFile.OpenRead(original))
        using (var target = System.IO.Compression.ZipFile.Open(mirror["CitationFull-Cora_ML/cora_ml.npz"], System.IO.Compression.ZipArchiveMode.Create))
            foreach (var entry in source.Entries)
            {
                using var input = new MemoryStream();
                using (Stream s = entry.Open()) s.CopyTo(input);
                byte[] bytes = input.ToArray();
                if (entry.FullName == "labels.npy") (bytes[128], bytes[136]) = (bytes[136], bytes[128]);   // swap two nodes' labels
                using Stream output = target.CreateEntry(entry.FullName, System.IO.Compression.CompressionLevel.NoCompression).Open();
                output.Write(bytes);
            }
        using var server = new LoopbackFileServer(mirror.Path);
        using var dir = new TempDir();
        var loader = new DatasetLoader(new DataRoots([dir.Path], dir.Path), Mirror(server));

        var e = Assert.Throws<DataFormatException>(() => loader.Load("cora_ml"));
        Assert.Contains("content SHA-256", e.Message);
        Assert.Contains("the download was removed", e.Message);
        Assert.False(File.Exists(dir["CitationFull-Cora_ML/cora_ml.npz"]));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
