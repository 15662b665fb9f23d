using ForwardGnn.Data.Formats;

namespace ForwardGnn.Data.Splits;

/// <summary>
/// A user's node split as text: one <c>node,part</c> line per node in the split, part being <c>train</c>,
/// <c>val</c> or <c>test</c> (a header line and <c>#</c> comments are allowed; nodes left out are in no set).
/// It becomes split 0 of the dataset (<see cref="GraphDataset.PublicSplit"/>).
/// </summary>
public static class NodeSplitFile
{
    /// <summary>Reads <paramref name="path"/> for a graph of <paramref name="numNodes"/> nodes.</summary>
    /// <exception cref="DataFormatException">A bad line, an id out of range, a node listed twice, or an empty set; the message names the file and line.</exception>
    public static NodeSplit Read(string path, int numNodes)
    {
        var parts = new Dictionary<string, List<int>> { ["train"] = [], ["val"] = [], ["test"] = [] };
        var seen = new bool[numNodes];
        foreach ((int line, string[] fields) in ReadRows(path))
        {
            if (fields.Length != 2 || !parts.TryGetValue(fields[1].ToLowerInvariant(), out List<int>? part))
                throw new DataFormatException(path, $"line {line}: expected 'node,part' with part train, val or test");
            int node = CsvRows.NodeId(fields[0], path, line);
            if (node >= numNodes) throw new DataFormatException(path, $"line {line}: node {node} is outside 0..{numNodes - 1}");
            if (seen[node]) throw new DataFormatException(path, $"line {line}: node {node} is listed twice");
            seen[node] = true;
            part.Add(node);
        }
        var split = new NodeSplit(0, Sorted(parts["train"]), Sorted(parts["val"]), Sorted(parts["test"]), path);
        split.CheckDisjoint(numNodes, path);
        return split;
    }

    /// <summary>Rows of the file; the first one is a header when its first field is not a number.</summary>
    private static IEnumerable<(int, string[])> ReadRows(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found");
        int line = 0;
        bool first = true;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            string trimmed = text.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#') continue;
            string[] fields = trimmed.Split(',', StringSplitOptions.TrimEntries);
            bool header = first && !long.TryParse(fields[0], out _);
            first = false;
            if (!header) yield return (line, fields);
        }
    }

    private static int[] Sorted(List<int> nodes)
    {
        nodes.Sort();
        return [.. nodes];
    }
}
