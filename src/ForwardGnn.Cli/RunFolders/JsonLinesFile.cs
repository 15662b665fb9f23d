using System.Text.Json;
using ForwardGnn.Data;

namespace ForwardGnn.Cli.RunFolders;

/// <summary>
/// A JSON Lines file we append to (<c>metrics.jsonl</c>). A write cut short (a kill, a full disk) can leave the last line
/// without its newline: a resumed run cuts it off before appending, and readers skip it with a warning. Any other line
/// that does not parse is an error naming the file and line.
/// </summary>
internal static class JsonLinesFile
{
    /// <summary>Cuts an unterminated last line off <paramref name="path"/>; returns whether there was one.</summary>
    public static bool DropTornTail(string path)
    {
        if (!File.Exists(path)) return false;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        long end = stream.Length, keep = end;
        var one = new byte[1];
        while (keep > 0)
        {
            stream.Position = keep - 1;
            stream.ReadExactly(one);
            if (one[0] == (byte)'\n') break;
            keep--;
        }
        if (keep == end) return false;
        stream.SetLength(keep);
        return true;
    }

    /// <summary>Every complete line's value; an unterminated or unparsable last line is reported to <paramref name="warn"/> and skipped.</summary>
    /// <exception cref="DataFormatException">A line before the last does not parse.</exception>
    public static List<T> Read<T>(string path, Action<string> warn)
    {
        string text = File.ReadAllText(path);
        string[] lines = text.Split('\n');
        var values = new List<T>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            bool last = i == lines.Length - 1;   // text after the final newline: a line whose write was cut short
            try
            {
                values.Add(JsonSerializer.Deserialize<T>(line, JsonOutput.Options) ?? throw new JsonException("null"));
            }
            catch (JsonException e) when (last)
            {
                warn($"{path}: line {i + 1} is incomplete (an interrupted write?), skipped: {EchoedText.Shorten(e.Message, 80)}");
            }
            catch (JsonException e)
            {
                throw new DataFormatException($"{path}:{i + 1}", EchoedText.Shorten(e.Message, 120));
            }
        }
        return values;
    }
}
