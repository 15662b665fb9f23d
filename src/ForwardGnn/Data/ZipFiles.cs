using System.IO.Compression;

namespace ForwardGnn.Data;

/// <summary>Zip access that turns every way a zip file can be unusable into a one-line <see cref="DataFormatException"/>.</summary>
internal static class ZipFiles
{
    /// <summary>Largest member read into memory (2 GiB − 1, the limit of a .NET array).</summary>
    public const long MaxMemberBytes = int.MaxValue;

    public static ZipArchive Open(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new DataFormatException(path, "file not found");
        if (info.Length == 0) throw new DataFormatException(path, "file is empty");
        FileStream stream = File.OpenRead(path);
        try
        {
            var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
            _ = zip.Entries.Count;   // the central directory is read lazily; read it here so damage surfaces now
            return zip;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            stream.Dispose();
            throw new DataFormatException(path, $"not a readable zip archive (truncated or corrupt: {e.Message.TrimEnd('.')})", e);
        }
    }

    /// <summary>Deflate expands at most about 1032 to 1; a member declaring more than this has a lying directory.</summary>
    private const long MaxDeflateRatio = 1040;

    /// <summary>
    /// A member's bytes. Its declared size is checked against its compressed size and the memory budget before
    /// anything is allocated, and no more than the declared size is ever decompressed.
    /// </summary>
    public static byte[] ReadMember(ZipArchiveEntry entry, string source)
    {
        if (entry.Length > MaxMemberBytes)
            throw new DataFormatException(source, $"member claims {entry.Length} bytes, more than this reader accepts ({MaxMemberBytes})");
        if (entry.Length > entry.CompressedLength * MaxDeflateRatio + 1024)
            throw new DataFormatException(source,
                $"member claims {entry.Length} bytes from {entry.CompressedLength} compressed bytes, more than deflate can expand to");
        MemoryBudget.Require(2.0 * entry.Length, source, $"reading its {MemoryBudget.Format(entry.Length)} (declared)");
        try
        {
            using Stream input = entry.Open();
            var buffer = new byte[entry.Length];
            int read = input.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read != entry.Length || input.ReadByte() >= 0)
                throw new DataFormatException(source, $"member holds {(read != entry.Length ? $"{read}" : "more")} bytes but the zip directory says {entry.Length}");
            return buffer;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            throw new DataFormatException(source, $"member cannot be decompressed (truncated or corrupt: {e.Message.TrimEnd('.')})", e);
        }
    }
}
