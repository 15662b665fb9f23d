using ForwardGnn.Data;
using ForwardGnn.Data.Formats;

namespace ForwardGnn.Cli.Models;

/// <summary>A CSV of node pairs: two node-id columns (comma, tab or space separated), an optional header line.</summary>
internal static class PairsFile
{
    public static (int[] Source, int[] Target) Read(string path, int numNodes)
    {
        var source = new List<int>();
        var target = new List<int>();
        foreach ((int line, string[] fields) in CsvRows.Read(path))
        {
            if (fields.Length != 2) throw new DataFormatException(path, $"line {line} is not two node ids");
            int s = CsvRows.NodeId(fields[0], path, line), t = CsvRows.NodeId(fields[1], path, line);
            if (s >= numNodes || t >= numNodes)
                throw new DataFormatException(path, $"line {line}: node {Math.Max(s, t)} is outside the graph's 0..{numNodes - 1}");
            source.Add(s);
            target.Add(t);
        }
        if (source.Count == 0) throw new DataFormatException(path, "has no pairs");
        return (source.ToArray(), target.ToArray());
    }
}
