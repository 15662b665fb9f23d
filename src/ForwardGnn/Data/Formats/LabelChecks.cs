namespace ForwardGnn.Data.Formats;

internal static class LabelChecks
{
    /// <summary>C = max(y) + 1 after checking that every label is non-negative.</summary>
    public static int CountClasses(int[] labels, string source)
    {
        if (labels.Length == 0) throw new DataFormatException(source, "has no labels");
        int max = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0) throw new DataFormatException(source, $"label {labels[i]} of node {i} is negative");
            max = Math.Max(max, labels[i]);
        }
        return max + 1;
    }
}
