namespace ForwardGnn.Training;

/// <summary>Evaluation metrics, in percent as the paper reports them.</summary>
public static class Metrics
{
    /// <summary>100 · #(predicted == label) / #nodes.</summary>
    public static double Accuracy(ReadOnlySpan<long> predicted, ReadOnlySpan<long> labels)
    {
        if (predicted.Length != labels.Length || labels.Length == 0) throw new ArgumentException("need equal, non-empty lengths");
        int correct = 0;
        for (int i = 0; i < labels.Length; i++) if (predicted[i] == labels[i]) correct++;
        return 100.0 * correct / labels.Length;
    }

    /// <summary>
    /// 100 · ROC-AUC from ranks (Mann–Whitney U): average ranks for tied scores, so a tie between a positive and a
    /// negative counts ½, as scikit-learn's <c>roc_auc_score</c>.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        int n = scores.Length;
        if (labels.Length != n) throw new ArgumentException("scores and labels differ in length");
        int[] order = Enumerable.Range(0, n).ToArray();
        float[] keys = scores.ToArray();
        Array.Sort(keys, order);
        double positiveRankSum = 0;
        long positives = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && keys[end + 1] == keys[start]) end++;
            double averageRank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++)
                if (labels[order[k]] > 0.5f) { positiveRankSum += averageRank; positives++; }
            start = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) throw new ArgumentException("ROC-AUC needs both positive and negative labels");
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return 100.0 * u / ((double)positives * negatives);
    }
}
