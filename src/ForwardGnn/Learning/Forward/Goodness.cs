using ForwardGnn.Engine;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// Forward-forward goodness (spec §3.4, §4.2): training uses the logit Σ_k a_ik² − θ with BCE (target 1 for
/// positive, 0 for negative data); inference scores a node by mean_k a_ik² − θ per layer.
/// </summary>
internal static class Goodness
{
    /// <summary>θ (<c>--ff-theta</c>, paper App. B).</summary>
    public const double Theta = 2.0;

    /// <summary>BCE of the goodness logits of the rows <paramref name="nodes"/> of <paramref name="a"/> against a constant target.</summary>
    public static Tensor Loss(Tensor a, Tensor nodes, bool positive, double theta = Theta)
    {
        Tensor logits = a.index_select(0, nodes).pow(Two).sum(1).sub(HeldScalars.Of(theta));
        return nn.functional.binary_cross_entropy_with_logits(logits, positive ? ones_like(logits) : zeros_like(logits));
    }

    /// <summary>FF loss: positive term + mean over the negative terms.</summary>
    public static Tensor Loss(Tensor positive, IReadOnlyList<Tensor> negatives, Tensor nodes, double theta = Theta) =>
        Loss(positive, nodes, true, theta).add(stack(negatives.Select(n => Loss(n, nodes, false, theta)).ToArray()).mean(), One);

    /// <summary>Per-node inference goodness mean_k a_ik² − θ: [N, d] → [N].</summary>
    public static Tensor Score(Tensor a, double theta = Theta) => a.pow(Two).mean([1]).sub(HeldScalars.Of(theta));
}
