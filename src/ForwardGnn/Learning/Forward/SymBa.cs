using ForwardGnn.Engine;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// The SymBa objective (Lee &amp; Song 2023; spec §11.2): one symmetric loss on the goodness gap of a positive and a
/// negative sample, softplus(−α·(G⁺ − G⁻)) with α = 4, instead of FF's two separate BCE terms. Goodness is the
/// training goodness of FF, G = Σ_k a_k² (θ cancels in the gap).
/// <para>Pairing, which the paper leaves open: for node classification every training node i is paired with each of
/// its wrong-class negatives j and the loss is the mean over all (i, j); for link prediction the k-th positive training
/// pair is paired with the k-th negative pair (the split draws exactly one negative per positive).</para>
/// </summary>
internal static class SymBa
{
    /// <summary>α (paper App. B).</summary>
    public const double Alpha = 4.0;

    /// <summary>
    /// mean softplus(−α (G⁺ − G⁻)) over paired goodness values: [P], [P] → scalar. Written as −log σ(α (G⁺ − G⁻)), the
    /// same function, because TorchSharp's softplus passes libtorch Scalars it does not hold (see <see cref="HeldScalars"/>).
    /// </summary>
    public static Tensor Loss(Tensor positiveGoodness, Tensor negativeGoodness) =>
        nn.functional.logsigmoid(positiveGoodness.sub(negativeGoodness).mul(HeldScalars.Of(Alpha))).neg().mean();

    /// <summary>
    /// Node loss on the rows <paramref name="nodes"/>: the positive stream's goodness against each negative stream's,
    /// averaged over nodes and negatives. positive, negatives[j]: [N, d]; nodes: [T] → scalar. θ cancels in the gap.
    /// </summary>
    public static Tensor NodeLoss(Tensor positive, IReadOnlyList<Tensor> negatives, Tensor nodes, double theta = Forward.Goodness.Theta)
    {
        Tensor gPositive = Goodness(positive, nodes);
        return stack(negatives.Select(n => Loss(gPositive, Goodness(n, nodes))).ToArray()).mean();
    }

    private static Tensor Goodness(Tensor a, Tensor nodes) => a.index_select(0, nodes).pow(Two).sum(1);
}
