namespace ForwardGnn.Models;

/// <summary>
/// A node classifier's output for the nodes <see cref="Nodes"/>: the predicted class of each and its per-class scores
/// (row-major [|Nodes|, C]; what the algorithm's rule takes the argmax of: softmax probabilities, summed layer votes, or
/// summed goodness).
/// </summary>
public sealed record NodePredictions(int[] Nodes, int[] Classes, float[] Scores, int NumClasses)
{
    /// <summary>The scores of the <paramref name="row"/>-th predicted node, [C].</summary>
    public ReadOnlySpan<float> ScoresOf(int row) => Scores.AsSpan(row * NumClasses, NumClasses);

    /// <summary>Accuracy (percent) against <paramref name="labels"/> [N] of the whole graph.</summary>
    public double Accuracy(int[] labels)
    {
        if (Nodes.Length == 0) throw new ArgumentException("no nodes were predicted");
        int correct = 0;
        for (int i = 0; i < Nodes.Length; i++) if (Classes[i] == labels[Nodes[i]]) correct++;
        return 100.0 * correct / Nodes.Length;
    }
}
