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
        foreach ((int line, string[] fields) in CsvRows.Read(path, headerByFirstField: true))
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


    private static int[] Sorted(List<int> nodes)
    {
        nodes.Sort();
        return [.. nodes];
    }
}
