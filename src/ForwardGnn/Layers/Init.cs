using static TorchSharp.torch;

namespace ForwardGnn.Layers;

/// <summary>PyG 2.2's parameter initialisations.</summary>
internal static class Init
{
    /// <summary>Glorot uniform over the last two dimensions: U(±√(6 / (fan_in + fan_out))).</summary>
    public static void Glorot(Tensor t)
    {
        long fanIn = t.shape[^1], fanOut = t.shape[^2];
        double bound = Math.Sqrt(6.0 / (fanIn + fanOut));
        using var _ = no_grad();
        t.uniform_(-bound, bound);
    }

    /// <summary><c>torch.nn.Linear</c>'s default (Kaiming uniform, a = √5): U(±1/√fan_in).</summary>
    public static void KaimingUniform(Tensor t, long fanIn)
    {
        double bound = 1.0 / Math.Sqrt(fanIn);
        using var _ = no_grad();
        t.uniform_(-bound, bound);
    }
}
