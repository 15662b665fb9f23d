using static TorchSharp.torch;

namespace ForwardGnn.Distributed;

/// <summary>
/// An accuracy over nodes spread across the ranks: each rank's correct and total counts are summed (one all-reduce),
/// so every rank gets the same value, as early stopping needs.
/// </summary>
internal static class GlobalAccuracy
{
    /// <returns>100 · Σ correct / Σ count over the ranks.</returns>
    public static double Of(ICommunicator ranks, int correct, int count)
    {
        using Tensor counts = tensor(new float[] { correct, count });
        ranks.AllReduceSum(counts, "metrics");
        float[] sums = counts.data<float>().ToArray();
        return 100.0 * (int)sums[0] / (int)sums[1];
    }
}
