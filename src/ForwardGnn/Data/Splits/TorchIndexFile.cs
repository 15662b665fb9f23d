using System.IO.Compression;
using System.Runtime.InteropServices;

namespace ForwardGnn.Data.Splits;

/// <summary>
/// Reads a 1-D int32 tensor saved by <c>torch.save</c> (zip serialisation): the payload is the member
/// <c>&lt;stem&gt;/data/0</c>, n little-endian int32 values. The pickled header is not interpreted.
/// </summary>
internal static class TorchIndexFile
{
    public static int[] Read(string path)
    {
        using ZipArchive zip = ZipFiles.Open(path);
        ZipArchiveEntry entry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data/0", StringComparison.Ordinal))
            ?? throw new DataFormatException(path, "has no tensor payload member '<name>/data/0'");
        byte[] bytes = ZipFiles.ReadMember(entry, $"{path}:{entry.FullName}");
        if (bytes.Length % 4 != 0)
            throw new DataFormatException(path, $"payload of {bytes.Length} bytes is not a whole number of int32 values");
        return MemoryMarshal.Cast<byte, int>(bytes).ToArray();
    }
}
