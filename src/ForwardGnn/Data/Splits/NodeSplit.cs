namespace ForwardGnn.Data.Splits;

/// <summary>
/// Sorted train, validation and test node ids of one split; together a partition of 0..N−1, except for a dataset's
/// public split (<see cref="GraphDataset.PublicSplit"/>), which may leave nodes out.
/// </summary>
public sealed record NodeSplit(int Index, int[] Train, int[] Val, int[] Test, string Origin)
{
    /// <summary>A mask over <paramref name="numNodes"/> nodes that is true exactly at <paramref name="nodes"/>.</summary>
    public static bool[] Mask(int numNodes, IEnumerable<int> nodes)
    {
        var mask = new bool[numNodes];
        foreach (int i in nodes) mask[i] = true;
        return mask;
    }

    /// <summary>Throws unless every class 0..C−1 has a training node (no class could be learnt otherwise).</summary>
    public void CheckEveryClassIsTrained(int[] labels, int numClasses)
    {
        var trained = new bool[numClasses];
        foreach (int node in Train) trained[labels[node]] = true;
        int missing = Array.IndexOf(trained, false);
        if (missing >= 0)
            throw new DataFormatException(Origin, $"class {missing} has no training node in split {Index} ({Train.Length} training nodes)");
    }

    /// <summary>Throws unless the three sets partition 0..<paramref name="numNodes"/>−1.</summary>
    public void CheckPartition(int numNodes, string source)
    {
        bool[] seen = CheckDisjoint(numNodes, source);
        int missing = Array.IndexOf(seen, false);
        if (missing >= 0) throw new DataFormatException(source, $"node {missing} is in no part of split {Index}");
    }

    /// <summary>
    /// The check for a dataset's own public split (Planetoid's, a split file's), which need not cover every node:
    /// throws unless every id is in 0..<paramref name="numNodes"/>−1, no node is in two sets, and train, validation
    /// and test are non-empty. Returns which nodes are in a set.
    /// </summary>
    public bool[] CheckDisjoint(int numNodes, string source)
    {
        var seen = new bool[numNodes];
        foreach ((string name, int[] part) in new[] { ("train", Train), ("validation", Val), ("test", Test) })
        {
            if (part.Length == 0) throw new DataFormatException(source, $"the {name} set of split {Index} is empty");
            foreach (int node in part)
            {
                if ((uint)node >= (uint)numNodes)
                    throw new DataFormatException(source, $"node id {node} is out of range 0..{numNodes - 1}");
                if (seen[node]) throw new DataFormatException(source, $"node {node} is in more than one part of split {Index}");
                seen[node] = true;
            }
        }
        return seen;
    }
}
