namespace ForwardGnn.Data.Splits;

/// <summary>
/// The five generated node splits of a dataset, drawn as the ForwardGNN reference drew them, draw for draw:
/// scikit-learn's <c>KFold(5, shuffle=True, random_state=101)</c> gives each split's test set, and
/// <c>train_test_split(rest, test_size=0.2, random_state=127·i)</c> cuts the rest, in ascending order, into
/// validation (⌈20 %⌉) and train. Both shuffle with NumPy's legacy <see cref="NumpyRandomState"/>. Where the
/// reference's own split files exist (the CLI reads them), they hold these very splits (docs/datasets.md).
/// </summary>
public static class NodeSplits
{
    /// <summary>Number of generated splits.</summary>
    public const int Count = 5;

    /// <summary>
    /// Split <paramref name="split"/> (0..4) of a dataset: the generated split, or, for a dataset with its own fixed split
    /// (<see cref="GraphDataset.PublicSplit"/>), that split under every number: a protocol that seeds each split's run
    /// from its number then repeats the fixed split with five seeds, as the generated splits are five draws.
    /// </summary>
    /// <exception cref="ArgumentException">A split the dataset does not have.</exception>
    public static NodeSplit For(GraphDataset data, int split)
    {
        if (data.PublicSplit is { } own)
        {
            CheckAvailable(data, [split]);
            own.CheckDisjoint(data.NumNodes, own.Origin);
            return split == own.Index ? own : own with { Index = split };
        }
        if (split is < 0 or >= Count) throw new ArgumentException($"split {split} does not exist (the generated node splits are 0..{Count - 1})");
        return Generate(data.NumNodes, split);
    }

    /// <summary>Throws <see cref="ArgumentException"/> when a dataset with a fixed split is asked for a split number outside 0..4.</summary>
    public static void CheckAvailable(GraphDataset data, IEnumerable<int> splits)
    {
        if (data.PublicSplit is null) return;
        foreach (int split in splits)
            if (split is < 0 or >= Count)
                throw new ArgumentException(
                    $"{data.Name} has one fixed node split ({data.PublicSplit.Origin}), numbered 0..{Count - 1} for runs with their own seeds; split {split} does not exist");
    }

    /// <summary>Generated split <paramref name="split"/> (0..4) of a graph of <paramref name="numNodes"/> nodes.</summary>
    public static NodeSplit Generate(int numNodes, int split)
    {
        int[] order = new NumpyRandomState(101).Permutation(numNodes);
        int foldStart = 0;
        for (int f = 0; f < split; f++) foldStart += FoldSize(numNodes, f);
        int[] test = Sorted(order[foldStart..(foldStart + FoldSize(numNodes, split))]);

        int[] rest = Enumerable.Range(0, numNodes).Except(test).ToArray();
        int[] pick = new NumpyRandomState((uint)(127 * split)).Permutation(rest.Length);
        int valCount = (int)Math.Ceiling(0.2 * rest.Length);
        int[] val = pick[..valCount].Select(i => rest[i]).ToArray();
        int[] train = pick[valCount..].Select(i => rest[i]).ToArray();
        return new NodeSplit(split, Sorted(train), Sorted(val), test, "generated node split");
    }

    private static int FoldSize(int n, int fold) => n / Count + (fold < n % Count ? 1 : 0);

    private static int[] Sorted(int[] items)
    {
        Array.Sort(items);
        return items;
    }
}
