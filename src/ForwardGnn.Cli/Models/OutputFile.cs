using System.Globalization;
using System.Text;
using ForwardGnn.Training;

namespace ForwardGnn.Cli.Models;

/// <summary>Writes a result file through a temporary file and a rename: the old file or the complete new one, never half.</summary>
internal static class OutputFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        AtomicFile.Write(path, write);
    }

    /// <summary>A CSV file: the header line, then one line per row.</summary>
    public static void WriteCsv(string path, string header, IEnumerable<string> rows) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.WriteLine(header);
        foreach (string row in rows) writer.WriteLine(row);
    });

    /// <summary>A float formatted to round-trip exactly, culture-independent.</summary>
    public static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
