using ForwardGnn.Graphs;

namespace ForwardGnn.Data.Splits;

/// <summary>
/// PyG 2.2's <c>RandomLinkSplit(is_undirected=True, num_val=0.16, num_test=0.2, neg_sampling_ratio=1.0)</c> after
/// <c>set_seed(101·split)</c>, draw for draw: the undirected edges (source &lt; target, in coalesced order) are
/// permuted by <c>torch.randperm</c> and cut into train / ⌊16 %⌋ val / ⌊20 %⌋ test; one negative per positive comes
/// from one <see cref="NegativeSampling"/> call on the full graph, driven by Python's <c>random</c>, and is dealt
/// out as [val | test | train]. Training negatives are fixed for the whole run.
/// </summary>
public static class RandomLinkSplit
{
    /// <summary>Split <paramref name="split"/> of the undirected edges of <paramref name="full"/> into train / val / test positives with one negative each.</summary>
    public static EdgeSplit Generate(EdgeIndex full, int split, double valFraction = 0.16, double testFraction = 0.2)
    {
        ulong seed = (ulong)(101 * split);
        var undirected = new List<(int S, int T)>();
        for (int e = 0; e < full.Count; e++)
            if (full.Source[e] < full.Target[e]) undirected.Add((full.Source[e], full.Target[e]));
        (int S, int T)[] shuffled = TorchRandperm.Generate(undirected.Count, seed).Select(i => undirected[i]).ToArray();

        int m = shuffled.Length;
        int valCount = (int)(valFraction * m), testCount = (int)(testFraction * m);
        int trainCount = m - valCount - testCount;
        var train = shuffled[..trainCount];
        var val = shuffled[trainCount..(trainCount + valCount)];
        var test = shuffled[(trainCount + valCount)..];

        (int, int)[] negatives = NegativeSampling.Sample(full, valCount + testCount + trainCount, new PythonRandom(seed));
        int Cut(int at) => Math.Min(at, negatives.Length);   // a graph too dense for every negative shorts train first
        var valNeg = negatives[..Cut(valCount)];
        var testNeg = negatives[Cut(valCount)..Cut(valCount + testCount)];
        var trainNeg = negatives[Cut(valCount + testCount)..];

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
}
