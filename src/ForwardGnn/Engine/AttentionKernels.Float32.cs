using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ForwardGnn.Engine;

/// <summary>
/// The float32 paths of the attention kernels, vectorised: the weighted sum with 64-column blocks of a node's output
/// in registers, the edge dot products per target, and the softmax with GAT's four heads in one 128-bit vector per
/// edge. Each computes what the generic kernel computes, with fused multiply-adds and a vector exp (rounded
/// differently, not bitwise the same).
/// </summary>
internal sealed partial class AttentionKernels
{
    /// <summary>
    /// <see cref="Gather{T}"/> for every node, float32: row ranges with about equal edges per thread, and, when the
    /// heads split into whole 8-float vectors and the width into 64-float blocks, <see cref="GatherBlocked"/>.
    /// </summary>
    private static unsafe void GatherAll(float* alpha, float* rows, float* output, int n, int[] segments, int[]? order, int[] other, int heads, int channels)
    {
        nint aa = (nint)alpha, ra = (nint)rows, oa = (nint)output;
        bool blocked = Vector256.IsHardwareAccelerated && channels % 8 == 0 && heads * channels % Block == 0;
        CsrKernels.ForRowBlocks(n, segments, heads * channels, blocked
            ? (first, last) => { for (int i = first; i < last; i++) GatherBlocked((float*)aa, (float*)ra, (float*)oa, i, segments, order, other, heads, channels); }
            : (first, last) => { for (int i = first; i < last; i++) Gather((float*)aa, (float*)ra, (float*)oa, i, segments, order, other, heads, channels); });
    }

    /// <summary>Output columns held in registers at once (8 vectors of 8 floats).</summary>
    private const int Block = 64;

    /// <summary>
    /// <see cref="Gather{T}"/> with each 64-column block of out[node] held in eight registers across the node's edges:
    /// one load, one broadcast weight and one fused multiply-add per vector and edge, one store per vector at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void GatherBlocked(float* alpha, float* rows, float* output, int node, int[] segments, int[]? order, int[] other, int heads, int channels)
    {
        int width = heads * channels, start = segments[node], end = segments[node + 1];
        float* y = output + (long)node * width;
        for (int c = 0; c < width; c += Block)
        {
            int h0 = c / channels, h1 = (c + 8) / channels, h2 = (c + 16) / channels, h3 = (c + 24) / channels;
            int h4 = (c + 32) / channels, h5 = (c + 40) / channels, h6 = (c + 48) / channels, h7 = (c + 56) / channels;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (int k = start; k < end; k++)
            {
                int e = order is null ? k : order[k];
                float* row = rows + (long)other[e] * width + c;
                float* weight = alpha + (long)e * heads;
                a0 = Vector256.FusedMultiplyAdd(Vector256.Load(row), Vector256.Create(weight[h0]), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Load(row + 8), Vector256.Create(weight[h1]), a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.Load(row + 16), Vector256.Create(weight[h2]), a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.Load(row + 24), Vector256.Create(weight[h3]), a3);
                a4 = Vector256.FusedMultiplyAdd(Vector256.Load(row + 32), Vector256.Create(weight[h4]), a4);
                a5 = Vector256.FusedMultiplyAdd(Vector256.Load(row + 40), Vector256.Create(weight[h5]), a5);
                a6 = Vector256.FusedMultiplyAdd(Vector256.Load(row + 48), Vector256.Create(weight[h6]), a6);
                a7 = Vector256.FusedMultiplyAdd(Vector256.Load(row + 56), Vector256.Create(weight[h7]), a7);
            }
            a0.Store(y + c); a1.Store(y + c + 8); a2.Store(y + c + 16); a3.Store(y + c + 24);
            a4.Store(y + c + 32); a5.Store(y + c + 40); a6.Store(y + c + 48); a7.Store(y + c + 56);
        }
    }

    /// <summary>∂/∂α[e, h] = ⟨grad[node, h], z[source(e), h]⟩ for the edges e into <paramref name="node"/>, float32.</summary>
    private unsafe void SegmentDots(float* grad, float* z, float* gradAlpha, int node, int heads, int channels)
    {
        int width = heads * channels;
        float* g = grad + (long)node * width;
        bool fourHeads = heads == 4 && channels % 8 == 0 && Avx.IsSupported && Fma.IsSupported;
        for (int k = targetSegments[node]; k < targetSegments[node + 1]; k++)
        {
            float* x = z + (long)source[k] * width;
            if (fourHeads) FourHeadDots(g, x, channels).Store(gradAlpha + (long)k * 4);
            else for (int h = 0; h < heads; h++) gradAlpha[(long)k * heads + h] = Dot(g + h * channels, x + h * channels, channels);
        }
    }

    /// <summary>The four heads' dot products ⟨a_h, b_h⟩ of two [4·channels] rows, reduced together into one vector.</summary>
    private static unsafe Vector128<float> FourHeadDots(float* a, float* b, int channels)
    {
        Vector256<float> d0 = default, d1 = default, d2 = default, d3 = default;
        for (int c = 0; c < channels; c += 8)
        {
            d0 = Fma.MultiplyAdd(Avx.LoadVector256(a + c), Avx.LoadVector256(b + c), d0);
            d1 = Fma.MultiplyAdd(Avx.LoadVector256(a + channels + c), Avx.LoadVector256(b + channels + c), d1);
            d2 = Fma.MultiplyAdd(Avx.LoadVector256(a + 2 * channels + c), Avx.LoadVector256(b + 2 * channels + c), d2);
            d3 = Fma.MultiplyAdd(Avx.LoadVector256(a + 3 * channels + c), Avx.LoadVector256(b + 3 * channels + c), d3);
        }
        // Per 128-bit lane, two rounds of pairwise sums leave [Σd0, Σd1, Σd2, Σd3] over that lane's four columns.
        Vector256<float> sums = Avx.HorizontalAdd(Avx.HorizontalAdd(d0, d1), Avx.HorizontalAdd(d2, d3));
        return sums.GetLower() + sums.GetUpper();
    }

    private static unsafe float Dot(float* a, float* b, int length)
    {
        int i = 0;
        float sum = 0;
        if (Vector256.IsHardwareAccelerated && length >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= length; i += 8) acc = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), acc);
            sum = Vector256.Sum(acc);
        }
        for (; i < length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary><see cref="SegmentSoftmax{T}"/> for four float32 heads at once (LeakyReLU, segment maximum, exp, sum).</summary>
    private unsafe void SegmentSoftmaxFourHeads(float* scoreSource, float* scoreTarget, float* alpha, int node, float slope)
    {
        int first = targetSegments[node], last = targetSegments[node + 1];
        Vector128<float> own = Vector128.Load(scoreTarget + (long)node * 4), s = Vector128.Create(slope);
        Vector128<float> max = Vector128.Create(float.NegativeInfinity), sum = Vector128<float>.Zero;
        for (int k = first; k < last; k++)
        {
            Vector128<float> pre = Vector128.Load(scoreSource + (long)source[k] * 4) + own;
            Vector128<float> e = Vector128.ConditionalSelect(Vector128.GreaterThan(pre, Vector128<float>.Zero), pre, pre * s);
            e.Store(alpha + (long)k * 4);
            max = Vector128.Max(max, e);
        }
        for (int k = first; k < last; k++)
        {
            Vector128<float> x = Vector128.Exp(Vector128.Load(alpha + (long)k * 4) - max);
            x.Store(alpha + (long)k * 4);
            sum += x;
        }
        for (int k = first; k < last; k++) (Vector128.Load(alpha + (long)k * 4) / sum).Store(alpha + (long)k * 4);
    }

    /// <summary><see cref="SegmentSoftmaxBackward{T}"/> for four float32 heads at once.</summary>
    private unsafe void SegmentSoftmaxBackwardFourHeads(float* scoreSource, float* scoreTarget, float* alpha, float* grad, float* gradPre, float* gradTarget, int node, float slope)
    {
        int first = targetSegments[node], last = targetSegments[node + 1];
        Vector128<float> own = Vector128.Load(scoreTarget + (long)node * 4), s = Vector128.Create(slope);
        Vector128<float> dot = Vector128<float>.Zero, total = Vector128<float>.Zero;
        for (int k = first; k < last; k++) dot += Vector128.Load(alpha + (long)k * 4) * Vector128.Load(grad + (long)k * 4);
        for (int k = first; k < last; k++)
        {
            Vector128<float> ge = Vector128.Load(alpha + (long)k * 4) * (Vector128.Load(grad + (long)k * 4) - dot);
            Vector128<float> pre = Vector128.Load(scoreSource + (long)source[k] * 4) + own;
            Vector128<float> gp = Vector128.ConditionalSelect(Vector128.GreaterThan(pre, Vector128<float>.Zero), ge, ge * s);
            gp.Store(gradPre + (long)k * 4);
            total += gp;
        }
        total.Store(gradTarget + (long)node * 4);
    }

    /// <summary><see cref="SumOverOutEdges{T}"/> for four float32 heads at once.</summary>
    private unsafe void SumOverOutEdgesFourHeads(float* gradPre, float* gradSource, int node)
    {
        Vector128<float> total = Vector128<float>.Zero;
        for (int k = sourceSegments[node]; k < sourceSegments[node + 1]; k++) total += Vector128.Load(gradPre + (long)sourceOrder[k] * 4);
        total.Store(gradSource + (long)node * 4);
    }
}
