using ForwardGnn.Graphs;

namespace ForwardGnn.Data.Splits;

/// <summary>
/// PyG 2.2's <c>RandomLinkSplit(is_undirected=True, num_val=0.16, num_test=0.2, neg_sampling_ratio=1.0)</c>,
/// seeded with 101·split: the undirected edges (source &lt; target) are shuffled and cut into
/// train / ⌊16 %⌋ val / ⌊20 %⌋ test; one negative per positive is drawn without replacement from the ordered
/// non-adjacent pairs (u ≠ v) of the full graph in one call and dealt out as [val | test | train]. Training
/// negatives are fixed for the whole run.
/// </summary>
public static class RandomLinkSplit
{
    public static EdgeSplit Generate(EdgeIndex full, int split, double valFraction = 0.16, double testFraction = 0.2)
    {
        var rng = new Random(101 * split);
        var undirected = new List<(int S, int T)>();
        for (int e = 0; e < full.Count; e++)
            if (full.Source[e] < full.Target[e]) undirected.Add((full.Source[e], full.Target[e]));
        (int S, int T)[] shuffled = undirected.ToArray();
        rng.Shuffle(shuffled);

        int m = shuffled.Length;
        int valCount = (int)Math.Floor(valFraction * m), testCount = (int)Math.Floor(testFraction * m);
        int trainCount = m - valCount - testCount;
        var train = shuffled[..trainCount];
        var val = shuffled[trainCount..(trainCount + valCount)];
        var test = shuffled[(trainCount + valCount)..];

        (int, int)[] negatives = SampleNegatives(full, valCount + testCount + trainCount, rng);
        var valNeg = negatives[..valCount];
        var testNeg = negatives[valCount..(valCount + testCount)];
        var trainNeg = negatives[(valCount + testCount)..];

        return new EdgeSplit(split, Graph(full.NumNodes, train), Graph(full.NumNodes, [.. train, .. val]),
            Supervision(train, trainNeg), Supervision(val, valNeg), Supervision(test, testNeg));
    }

    private static EdgeIndex Graph(int n, (int S, int T)[] pairs) =>
        EdgeIndex.Build(n, pairs.Select(p => p.S).ToArray(), pairs.Select(p => p.T).ToArray());

    private static LinkSupervision Supervision((int S, int T)[] positives, (int S, int T)[] negatives)
    {
        (int S, int T)[] all = [.. positives, .. negatives];
        float[] labels = new float[all.Length];
        Array.Fill(labels, 1f, 0, positives.Length);
        return new LinkSupervision(all.Select(p => p.S).ToArray(), all.Select(p => p.T).ToArray(), labels);
    }

    /// <summary>Uniform ordered pairs without replacement, excluding self-pairs and every edge of the full graph.</summary>
    private static (int, int)[] SampleNegatives(EdgeIndex full, int count, Random rng)
    {
        long n = full.NumNodes;
        if (count > n * (n - 1) - full.Count) throw new InvalidOperationException("graph too dense for that many negatives");
        var taken = new HashSet<long>(full.Count + count);
        for (int e = 0; e < full.Count; e++) taken.Add(full.Source[e] * n + full.Target[e]);
        var result = new (int, int)[count];
        for (int i = 0; i < count;)
        {
            int u = rng.Next(full.NumNodes), v = rng.Next(full.NumNodes);
            if (u == v || !taken.Add(u * n + v)) continue;
            result[i++] = (u, v);
        }
        return result;
    }
}
