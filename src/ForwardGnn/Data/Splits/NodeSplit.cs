namespace ForwardGnn.Data.Splits;

/// <summary>Sorted train, validation and test node ids of one split; together a partition of 0..N−1.</summary>
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
        var seen = new bool[numNodes];
        foreach (int[] part in new[] { Train, Val, Test })
            foreach (int node in part)
            {
                if ((uint)node >= (uint)numNodes)
                    throw new DataFormatException(source, $"node id {node} is out of range 0..{numNodes - 1}");
                if (seen[node]) throw new DataFormatException(source, $"node {node} is in more than one part of split {Index}");
                seen[node] = true;
            }
        int missing = Array.IndexOf(seen, false);
        if (missing >= 0) throw new DataFormatException(source, $"node {missing} is in no part of split {Index}");
    }
}
