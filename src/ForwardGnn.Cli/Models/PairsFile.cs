using System.Globalization;
using ForwardGnn.Data;

namespace ForwardGnn.Cli.Models;

/// <summary>A CSV of node pairs: two integer columns (comma, tab or space separated), an optional header line.</summary>
internal static class PairsFile
{
    public static (int[] Source, int[] Target) Read(string path, int numNodes)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "not found");
        var source = new List<int>();
        var target = new List<int>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] fields = line.Split([',', '\t', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length != 2 || !TryId(fields[0], out int s) || !TryId(fields[1], out int t))
            {
                if (lineNumber == 1) continue;   // a header line
                throw new DataFormatException(path, $"line {lineNumber} is not two node ids");
            }
            if (s >= numNodes || t >= numNodes)
                throw new DataFormatException(path, $"line {lineNumber}: node {Math.Max(s, t)} is outside the graph's 0..{numNodes - 1}");
            source.Add(s);
            target.Add(t);
        }
        if (source.Count == 0) throw new DataFormatException(path, "has no pairs");
        return (source.ToArray(), target.ToArray());
    }

    private static bool TryId(string field, out int id) => int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out id);
}
