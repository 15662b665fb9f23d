namespace ForwardGnn.Data.Splits;

/// <summary>
/// The five node splits of a dataset: the official ForwardGNN split files when a data root has them
/// (<c>forwardgnn-datasplits/datasplits/&lt;dataset&gt;/node-5splits/{train,val,test}-node-index-split{i}.pt</c>),
/// otherwise generated as the reference generated them, draw for draw: scikit-learn's
/// <c>KFold(5, shuffle=True, random_state=101)</c> gives each split's test set, and
/// <c>train_test_split(rest, test_size=0.2, random_state=127·i)</c> cuts the rest, in ascending order, into
/// validation (⌈20 %⌉) and train. Both shuffle with NumPy's legacy <see cref="NumpyRandomState"/>.
/// </summary>
public static class NodeSplits
{
    /// <summary>Number of generated (and official) splits.</summary>
    public const int Count = 5;

    /// <summary>
    /// Split <paramref name="split"/> of a dataset: its public split when it has one (<see cref="GraphDataset.PublicSplit"/>,
    /// split 0 only), else the official files under the data roots, else the generated split.
    /// </summary>
    public static NodeSplit Load(DataRoots roots, GraphDataset data, int split)
    {
        if (data.PublicSplit is { } own)
        {
            CheckAvailable(data, [split]);
            own.CheckDisjoint(data.NumNodes, own.Origin);
            return own;
        }
        if (split is < 0 or >= Count) throw new ArgumentOutOfRangeException(nameof(split), $"split must be 0..{Count - 1}");
        foreach (string root in roots.SearchOrder)
        {
            string folder = Path.Combine(root, "forwardgnn-datasplits", "datasplits", data.Name, "node-5splits");
            string File(string part) => Path.Combine(folder, $"{part}-node-index-split{split}.pt");
            if (!System.IO.File.Exists(File("train"))) continue;
            var result = new NodeSplit(split, TorchIndexFile.Read(File("train")), TorchIndexFile.Read(File("val")),
                TorchIndexFile.Read(File("test")), folder);
            result.CheckPartition(data.NumNodes, folder);
            return result;
        }
        return Generate(data.NumNodes, split);
    }

    /// <summary>Throws <see cref="ArgumentException"/> when a dataset with a public split is asked for a split other than 0.</summary>
    public static void CheckAvailable(GraphDataset data, IEnumerable<int> splits)
    {
        if (data.PublicSplit is null) return;
        foreach (int split in splits)
            if (split != 0)
                throw new ArgumentException($"{data.Name} has one fixed node split ({data.PublicSplit.Origin}); use --split 0, not split {split}");
    }

    /// <summary>Split <paramref name="split"/> of the generated family (the official files, where both exist).</summary>
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
