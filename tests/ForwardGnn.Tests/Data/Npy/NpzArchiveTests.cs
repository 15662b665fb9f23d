using System.IO.Compression;
using ForwardGnn.Data;
using ForwardGnn.Data.Npy;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Data.Npy;

public class NpzArchiveTests
{
    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Optimal)]
    public void ReadsStoredAndDeflatedMembers(CompressionLevel level)
    {
        using var dir = new TempDir();
        new NpzBuilder().AddInt32("a", 1, 2, 3).AddFloat32("b", 0.5f).Write(dir["x.npz"], level);
        using NpzArchive npz = NpzArchive.Open(dir["x.npz"]);
        Assert.Equal(["a", "b"], npz.Keys.Order());
        Assert.Equal([1, 2, 3], npz.Get("a").ToInt32());
        Assert.Equal([0.5f], npz.Get("b").ToFloat32());
    }

    [Fact]
    public void SkipsPickledMembersNobodyAsksFor()
    {
        using var dir = new TempDir();
        new NpzBuilder().AddInt32("a", 1).Add("idx_to_node", "|O", [1], new byte[8]).Write(dir["x.npz"]);
        using NpzArchive npz = NpzArchive.Open(dir["x.npz"]);
        Assert.Equal([1], npz.Get("a").ToInt32());
        var e = Assert.Throws<DataFormatException>(() => npz.Get("idx_to_node"));
        Assert.Contains("idx_to_node.npy", e.File);
    }

    [Fact]
    public void ReportsTruncatedArchive()
    {
        using var dir = new TempDir();
        new NpzBuilder().AddInt32("a", Enumerable.Range(0, 1000).ToArray()).Write(dir["x.npz"]);
        byte[] bytes = File.ReadAllBytes(dir["x.npz"]);
        File.WriteAllBytes(dir["x.npz"], bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DataFormatException>(() => NpzArchive.Open(dir["x.npz"]));
        Assert.Equal(dir["x.npz"], e.File);
        Assert.Contains("truncated or corrupt", e.Message);
    }

    [Fact]
    public void ReportsMissingAndEmptyFiles()
    {
        using var dir = new TempDir();
        Assert.Contains("file not found", Assert.Throws<DataFormatException>(() => NpzArchive.Open(dir["none.npz"])).Message);
        File.WriteAllBytes(dir["empty.npz"], []);
        Assert.Contains("file is empty", Assert.Throws<DataFormatException>(() => NpzArchive.Open(dir["empty.npz"])).Message);
    }

    [Fact]
    public void ReportsMissingMember()
    {
        using var dir = new TempDir();
        new NpzBuilder().AddInt32("a", 1).Write(dir["x.npz"]);
        using NpzArchive npz = NpzArchive.Open(dir["x.npz"]);
        Assert.Contains("has no array 'labels'", Assert.Throws<DataFormatException>(() => npz.Get("labels")).Message);
    }

    [Fact]
    public void AMissingMemberIsReportedInOneShortLineWhateverTheOtherNamesAre()
    {
        using var dir = new TempDir();
        var npz = new NpzBuilder().AddInt32("line\nbreak", 1).AddInt32(new string('x', 300), 2);
        for (int i = 0; i < 20; i++) npz.AddInt32($"a{i}", i);
        npz.Write(dir["x.npz"]);
        using NpzArchive archive = NpzArchive.Open(dir["x.npz"]);
        string message = Assert.Throws<DataFormatException>(() => archive.Get("labels")).Message;
        Assert.DoesNotContain('\n', message);
        Assert.True(message.Length < 400, message);
        Assert.Contains("line?break", message);
        Assert.EndsWith(", …)", message);
    }
}
