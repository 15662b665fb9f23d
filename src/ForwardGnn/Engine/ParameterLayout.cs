using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Engine;

/// <summary>
/// How a weight matrix W [out, in] lies in memory: row by row (contiguous), or as its transpose (Wᵀ contiguous,
/// [in, out], W a transposed view of it). Values and shape are the same either way. A layer on sparse features
/// multiplies by Wᵀ's rows and gets its weight gradient as xᵀ G [in, out], so in the transposed layout neither
/// needs a transposing copy; <see cref="FusedAdam"/> updates either layout in one pass.
/// </summary>
internal static class ParameterLayout
{
    /// <summary>Lays <paramref name="weight"/> out as its transpose, or row by row again, in place (the tensor object and its values stay).</summary>
    public static void Set(Tensor weight, bool transposed)
    {
        if (weight.is_contiguous() != transposed) return;
        using var _ = no_grad();
        using Tensor block = transposed ? weight.t().contiguous() : weight.contiguous();
        using Tensor view = transposed ? block.t() : block.alias();
        weight.set_(view);
    }

    /// <summary>
    /// Runs <paramref name="action"/> on <paramref name="module"/> with each of its matrices that is laid out transposed
    /// laid out row by row (what a saved file holds and a load writes into), then lays those out transposed again.
    /// </summary>
    public static T InRowLayout<T>(nn.Module module, Func<T> action)
    {
        Tensor[] transposed = module.parameters().Where(p => p.dim() == 2 && !p.is_contiguous() && p.t().is_contiguous()).ToArray<Tensor>();
        foreach (Tensor p in transposed) Set(p, transposed: false);
        try { return action(); }
        finally
        {
            foreach (Tensor p in transposed) Set(p, transposed: true);
        }
    }

    /// <summary>
    /// ∂L/∂W [out, in] from its transpose (∂L/∂W)ᵀ [in, out] (what a product through sparse features' transposed CSR
    /// gives), laid out as <paramref name="weight"/> is: a view of it where W is laid out transposed, else a row-by-row copy.
    /// </summary>
    public static Tensor FromTransposed(Tensor transposedGrad, Tensor weight) =>
        weight.is_contiguous() ? transposedGrad.t().contiguous() : transposedGrad.t();

    /// <summary>Lays <paramref name="t"/> out as <paramref name="like"/> is (row by row, or transposed), values unchanged.</summary>
    public static void Follow(Tensor t, Tensor like) => Set(t, transposed: !like.is_contiguous());
}
