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

    public static byte[] ReadMember(ZipArchiveEntry entry, string source)
    {
        if (entry.Length > MaxMemberBytes)
            throw new DataFormatException(source, $"member claims {entry.Length} bytes, more than this reader accepts ({MaxMemberBytes})");
        try
        {
            using Stream input = entry.Open();
            var buffer = new MemoryStream((int)Math.Min(entry.Length, 1 << 26));
            input.CopyTo(buffer);
            if (buffer.Length != entry.Length)
                throw new DataFormatException(source, $"member holds {buffer.Length} bytes but the zip directory says {entry.Length}");
            return buffer.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            throw new DataFormatException(source, $"member cannot be decompressed (truncated or corrupt: {e.Message.TrimEnd('.')})", e);
        }
    }
}
