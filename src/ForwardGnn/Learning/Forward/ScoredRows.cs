using ForwardGnn.Engine;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// The rows an SF score reads, gathered once: the queried nodes Q, then the virtual class nodes VN
/// (<see cref="All"/>, [|Q| + C]). On a tensor gathered by those rows, <see cref="Scores"/> equals
/// <see cref="SingleForwardAlgorithm.Scores"/> on the full tensor: m[Q] · m[VN]ᵀ / τ, [|Q|, C].
/// </summary>
internal sealed record ScoredRows(Tensor All, long Queried, long Classes, double Temperature)
{
    public static ScoredRows Of(Tensor queried, Tensor virtualNodes, double temperature = SingleForwardAlgorithm.Temperature) =>
        new(cat([queried, virtualNodes]), queried.shape[0], virtualNodes.shape[0], temperature);

    /// <summary>Scores of rows gathered by <see cref="All"/> ([|Q| + C, d]) → [|Q|, C].</summary>
    public Tensor Scores(Tensor gathered) => gathered.narrow(0, 0, Queried)
        .matmul(gathered.narrow(0, Queried, Classes).t()).div(HeldScalars.Of(Temperature));
}
