namespace ForwardGnn.Learning.Forward;

/// <summary>
/// The negative labels of forward-forward (spec §3.6): every node gets an independent random order of its C − 1
/// wrong classes, drawn once per run and reused for every layer and epoch.
/// </summary>
internal static class WrongClasses
{
    /// <summary>[j][i] = the (j+1)-th wrong class of node i, for j &lt; min(count, C − 1).</summary>
    public static int[][] Draw(int[] labels, int numClasses, int count, Random rng)
    {
        int negatives = Math.Min(count, numClasses - 1);
        var result = Enumerable.Range(0, negatives).Select(_ => new int[labels.Length]).ToArray();
        for (int i = 0; i < labels.Length; i++)
        {
            int[] wrong = Enumerable.Range(0, numClasses).Where(c => c != labels[i]).ToArray();
            rng.Shuffle(wrong);
            for (int j = 0; j < negatives; j++) result[j][i] = wrong[j];
        }
        return result;
    }
}
