namespace ForwardGnn.Data.Splits;

/// <summary>Node pairs to score and their labels: the positive pairs first (label 1), then the negatives (label 0).</summary>
public sealed record LinkSupervision(int[] Source, int[] Target, float[] Label)
{
    /// <summary>Number of pairs, positives and negatives.</summary>
    public int Count => Label.Length;
    /// <summary>Number of pairs labelled 1.</summary>
    public int PositiveCount => Label.Count(l => l == 1f);
}
