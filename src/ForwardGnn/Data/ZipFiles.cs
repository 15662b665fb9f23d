using System.IO.Compression;

namespace ForwardGnn.Data;

/// <summary>Zip access that turns every way a zip file can be unusable into a one-line <see cref="DataFormatException"/>.</summary>
internal static class ZipFiles
{
    public static ZipArchive Open(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new DataFormatException(path, "file not found");
        if (info.Length == 0) throw new DataFormatException(path, "file is empty");
        FileStream stream = File.OpenRead(path);
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new DataFormatException(path, $"not a readable zip archive (truncated or corrupt: {e.Message.TrimEnd('.')})", e);
        }
    }

    public static byte[] ReadMember(ZipArchiveEntry entry, string source)
    {
        try
        {
            using Stream input = entry.Open();
            var buffer = new MemoryStream(checked((int)entry.Length));
            input.CopyTo(buffer);
            if (buffer.Length != entry.Length)
                throw new DataFormatException(source, $"member holds {buffer.Length} bytes but the zip directory says {entry.Length}");
            return buffer.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new DataFormatException(source, $"member cannot be decompressed (truncated or corrupt: {e.Message.TrimEnd('.')})", e);
        }
    }
}
