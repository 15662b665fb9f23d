using static TorchSharp.torch;

namespace ForwardGnn.Engine;

/// <summary>Index tensors as the <c>int[]</c> the hand-written kernels take.</summary>
internal static class IndexArrays
{
    /// <summary>The int64 indices of <paramref name="indices"/> [n], on any device, as int32 [n]; throws on one past int32.</summary>
    public static int[] From(Tensor indices) => indices.cpu().data<long>().Select(i => checked((int)i)).ToArray();
}
