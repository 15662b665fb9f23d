using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Engine;

/// <summary>
/// Whether every element of a tensor is finite (no NaN, no ±∞), in one read-only pass on the calling thread for a
/// contiguous float32 CPU tensor: x − x is 0 for every finite x and NaN for NaN and ±∞, so OR-ing the
/// comparisons (x − x) ≠ 0 over all elements finds any. libtorch's <c>isfinite(x).all()</c> makes four passes
/// (two comparisons, an absolute value, a reduction) and allocates two boolean tensors; other tensors still take it
/// (a matrix laid out transposed is scanned through its transpose).
/// </summary>
internal static class FiniteScan
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from its first call: no slow first tier
    public static unsafe bool AllFinite(Tensor x)
    {
        if (x.device_type != DeviceType.CPU || x.dtype != ScalarType.Float32) return isfinite(x).all().item<bool>();
        if (!x.is_contiguous())   // a matrix laid out transposed is one block too; anything else takes libtorch's check
        {
            if (x.dim() != 2) return isfinite(x).all().item<bool>();
            using Tensor transposed = x.t();
            return transposed.is_contiguous() ? AllFinite(transposed) : isfinite(x).all().item<bool>();
        }
        long n = x.numel(), i = 0;
        fixed (byte* bytes = x.bytes)
        {
            float* p = (float*)bytes;
            Vector256<float> bad = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float> v = Vector256.Load(p + i);
                bad |= ~Vector256.Equals(v - v, Vector256<float>.Zero);
            }
            if (bad != Vector256<float>.Zero) return false;
            for (; i < n; i++)
                if (!float.IsFinite(p[i])) return false;
        }
        return true;
    }
}
