using static TorchSharp.torch;

namespace ForwardGnn.Layers;

/// <summary>
/// PyG 2.2's parameter initialisations. PyG's <c>Linear</c> initialises its parameters in its constructor and every
/// conv's <c>reset_parameters()</c>, called from the conv's own constructor, initialises them again, so a PyG layer
/// draws some parameters more than once. The convs here repeat those draws in PyG's order: with the same seed the
/// random stream, and so the initial weights, are PyG's.
/// </summary>
internal static class Init
{
    /// <summary>Glorot uniform over the last two dimensions: U(±√(6 / (fan_in + fan_out))), drawn <paramref name="draws"/> times.</summary>
    public static void Glorot(Tensor t, int draws = 1)
    {
        long fanIn = t.shape[^1], fanOut = t.shape[^2];
        double bound = Math.Sqrt(6.0 / (fanIn + fanOut));
        using var _ = no_grad();
        for (int i = 0; i < draws; i++) t.uniform_(-bound, bound);
    }

    /// <summary><c>torch.nn.Linear</c>'s default (Kaiming uniform, a = √5): U(±1/√fan_in).</summary>
    public static void KaimingUniform(Tensor t, long fanIn)
    {
        double bound = 1.0 / Math.Sqrt(fanIn);
        using var _ = no_grad();
        t.uniform_(-bound, bound);
    }
}
