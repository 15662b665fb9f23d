using System.Numerics;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Engine;

/// <summary>
/// Attention-weighted aggregation without materialising per-edge messages: out[i, h, :] = Σ_{e = (j → i)} α[e, h] ·
/// z[j, h, :], for edges sorted by target (node i owns edges <c>TargetSegments[i] .. TargetSegments[i+1]−1</c>).
/// The backward pass gives ∂/∂z (summed over each node's out-edges, via <c>SourceOrder</c>) and ∂/∂α (one dot
/// product per edge and head). Shapes: α [E, H], z [N, H·C] → [N, H·C]. CPU, float32 or float64.
/// </summary>
internal sealed partial class AttentionKernels(int[] targetSegments, int[] source, int[] sourceSegments, int[] sourceOrder, int[] target)
{
    /// <summary>Builds the kernels' index arrays from target-sorted edges (source[e], target[e]).</summary>
    public static AttentionKernels FromTargetSorted(int numNodes, int[] source, int[] target)
    {
        var targetSegments = Segments(numNodes, target);
        var sourceSegments = Segments(numNodes, source);
        int[] next = sourceSegments[..^1];
        var order = new int[source.Length];
        for (int e = 0; e < source.Length; e++) order[next[source[e]]++] = e;
        return new AttentionKernels(targetSegments, source, sourceSegments, order, target);
    }

    private static int[] Segments(int n, int[] keys)
    {
        var segments = new int[n + 1];
        foreach (int k in keys) segments[k + 1]++;
        for (int i = 0; i < n; i++) segments[i + 1] += segments[i];
        return segments;
    }

    /// <summary>Σ_j α_ij z_j per head, differentiable in α and z.</summary>
    public Tensor Aggregate(Tensor alpha, Tensor z, int heads) =>
        z.device_type == DeviceType.CPU && z.dtype is ScalarType.Float32 or ScalarType.Float64
            ? WeightedSum.apply(this, alpha, z, heads)
            : throw new NotSupportedException("attention kernels run on the CPU only");

    /// <summary>
    /// α [E, H]: per head, the softmax over each target's edges of e_k = LeakyReLU_slope(s_src[source_k] + s_dst[target_k]),
    /// for s_src, s_dst [N, H], differentiable in both. One pass over each target's edges instead of the gathers,
    /// segment maximum and scatter-sums the formula takes as separate operations.
    /// </summary>
    public Tensor Softmax(Tensor scoreSource, Tensor scoreTarget, double negativeSlope) =>
        scoreSource.device_type == DeviceType.CPU && scoreSource.dtype is ScalarType.Float32 or ScalarType.Float64
            ? EdgeSoftmax.apply(this, scoreSource, scoreTarget, negativeSlope)
            : throw new NotSupportedException("attention kernels run on the CPU only");

    private unsafe Tensor SoftmaxForward(Tensor scoreSource, Tensor scoreTarget, double slope)
    {
        using Tensor ss = scoreSource.detach().contiguous(), st = scoreTarget.detach().contiguous();
        int heads = (int)ss.shape[1], n = targetSegments.Length - 1;
        Tensor alpha = empty(source.Length, heads, dtype: ss.dtype);
        fixed (byte* sp = ss.bytes) fixed (byte* tp = st.bytes) fixed (byte* ap = alpha.bytes)
        {
            nint sa = (nint)sp, ta = (nint)tp, aa = (nint)ap;
            if (ss.dtype == ScalarType.Float32 && heads == 4 && Vector128.IsHardwareAccelerated)
                CsrKernels.ForRowBlocks(n, targetSegments, heads, (first, last) =>
                {
                    for (int i = first; i < last; i++) SegmentSoftmaxFourHeads((float*)sa, (float*)ta, (float*)aa, i, (float)slope);
                });
            else if (ss.dtype == ScalarType.Float32)
                Parallel.For(0, n, Options, i => SegmentSoftmax((float*)sa, (float*)ta, (float*)aa, i, heads, (float)slope));
            else
                Parallel.For(0, n, Options, i => SegmentSoftmax((double*)sa, (double*)ta, (double*)aa, i, heads, slope));
        }
        return alpha;
    }

    private unsafe void SegmentSoftmax<T>(T* scoreSource, T* scoreTarget, T* alpha, int node, int heads, T slope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int first = targetSegments[node], last = targetSegments[node + 1];
        for (int h = 0; h < heads; h++)
        {
            T max = T.NegativeInfinity, sum = T.Zero, own = scoreTarget[(long)node * heads + h];
            for (int k = first; k < last; k++)
            {
                T pre = scoreSource[(long)source[k] * heads + h] + own;
                T e = pre > T.Zero ? pre : pre * slope;
                alpha[(long)k * heads + h] = e;
                max = T.Max(max, e);
            }
            for (int k = first; k < last; k++) sum += alpha[(long)k * heads + h] = T.Exp(alpha[(long)k * heads + h] - max);
            for (int k = first; k < last; k++) alpha[(long)k * heads + h] /= sum;
        }
    }

    /// <summary>
    /// ∂/∂e_k = α_k (g_k − Σ_seg α g) per target segment, through the LeakyReLU; ∂/∂s_dst[i] sums it over i's
    /// edges and ∂/∂s_src[j] over the edges leaving j.
    /// </summary>
    private unsafe (Tensor GradSource, Tensor GradTarget) SoftmaxBackward(Tensor scoreSource, Tensor scoreTarget, Tensor alpha, Tensor grad, double slope)
    {
        using Tensor ss = scoreSource.detach().contiguous(), st = scoreTarget.detach().contiguous(), a = alpha.detach().contiguous(), g = grad.contiguous();
        using Tensor gradPre = empty_like(a);
        Tensor gradSource = empty_like(ss), gradTarget = empty_like(st);
        int heads = (int)ss.shape[1], n = targetSegments.Length - 1;
        fixed (byte* sp = ss.bytes) fixed (byte* tp = st.bytes) fixed (byte* ap = a.bytes) fixed (byte* gp = g.bytes)
        fixed (byte* pp = gradPre.bytes) fixed (byte* gs = gradSource.bytes) fixed (byte* gt = gradTarget.bytes)
        {
            nint sa = (nint)sp, ta = (nint)tp, aa = (nint)ap, ga = (nint)gp, pa = (nint)pp, gsa = (nint)gs, gta = (nint)gt;
            if (ss.dtype == ScalarType.Float32 && heads == 4 && Vector128.IsHardwareAccelerated)
            {
                CsrKernels.ForRowBlocks(n, targetSegments, heads, (first, last) =>
                {
                    for (int i = first; i < last; i++)
                        SegmentSoftmaxBackwardFourHeads((float*)sa, (float*)ta, (float*)aa, (float*)ga, (float*)pa, (float*)gta, i, (float)slope);
                });
                CsrKernels.ForRowBlocks(n, sourceSegments, heads, (first, last) =>
                {
                    for (int j = first; j < last; j++) SumOverOutEdgesFourHeads((float*)pa, (float*)gsa, j);
                });
            }
            else if (ss.dtype == ScalarType.Float32)
            {
                Parallel.For(0, n, Options, i => SegmentSoftmaxBackward((float*)sa, (float*)ta, (float*)aa, (float*)ga, (float*)pa, (float*)gta, i, heads, (float)slope));
                Parallel.For(0, n, Options, j => SumOverOutEdges((float*)pa, (float*)gsa, j, heads));
            }
            else
            {
                Parallel.For(0, n, Options, i => SegmentSoftmaxBackward((double*)sa, (double*)ta, (double*)aa, (double*)ga, (double*)pa, (double*)gta, i, heads, slope));
                Parallel.For(0, n, Options, j => SumOverOutEdges((double*)pa, (double*)gsa, j, heads));
            }
        }
        return (gradSource, gradTarget);
    }

    private unsafe void SegmentSoftmaxBackward<T>(T* scoreSource, T* scoreTarget, T* alpha, T* grad, T* gradPre, T* gradTarget, int node, int heads, T slope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int first = targetSegments[node], last = targetSegments[node + 1];
        for (int h = 0; h < heads; h++)
        {
            T dot = T.Zero, total = T.Zero, own = scoreTarget[(long)node * heads + h];
            for (int k = first; k < last; k++) dot += alpha[(long)k * heads + h] * grad[(long)k * heads + h];
            for (int k = first; k < last; k++)
            {
                long at = (long)k * heads + h;
                T ge = alpha[at] * (grad[at] - dot);
                T gp = scoreSource[(long)source[k] * heads + h] + own > T.Zero ? ge : ge * slope;
                gradPre[at] = gp;
                total += gp;
            }
            gradTarget[(long)node * heads + h] = total;
        }
    }

    private unsafe void SumOverOutEdges<T>(T* gradPre, T* gradSource, int node, int heads) where T : unmanaged, INumber<T>
    {
        for (int h = 0; h < heads; h++)
        {
            T total = T.Zero;
            for (int k = sourceSegments[node]; k < sourceSegments[node + 1]; k++) total += gradPre[(long)sourceOrder[k] * heads + h];
            gradSource[(long)node * heads + h] = total;
        }
    }

    private unsafe Tensor Forward(Tensor alpha, Tensor z, int heads)
    {
        using Tensor a = alpha.detach().contiguous(), x = z.detach().contiguous();
        Tensor output = zeros_like(x);
        int width = (int)x.shape[1], channels = width / heads, n = (int)x.shape[0];
        fixed (byte* ap = a.bytes) fixed (byte* xp = x.bytes) fixed (byte* op = output.bytes)
        {
            nint aa = (nint)ap, xa = (nint)xp, oa = (nint)op;
            if (x.dtype == ScalarType.Float32)
                GatherAll((float*)aa, (float*)xa, (float*)oa, n, targetSegments, null, source, heads, channels);
            else
                Parallel.For(0, n, Options, i => Gather((double*)aa, (double*)xa, (double*)oa, i, targetSegments, null, source, heads, channels));
        }
        return output;
    }

    /// <summary>∂/∂z[j] = Σ over edges e = (j → i) of α[e] · grad[i]; ∂/∂α[e, h] = ⟨grad[i, h], z[j, h]⟩.</summary>
    private unsafe (Tensor GradAlpha, Tensor GradZ) Backward(Tensor alpha, Tensor z, Tensor grad, int heads)
    {
        using Tensor a = alpha.detach().contiguous(), x = z.detach().contiguous(), g = grad.contiguous();
        Tensor gradZ = zeros_like(x), gradAlpha = zeros_like(a);
        int width = (int)x.shape[1], channels = width / heads, n = (int)x.shape[0], edges = (int)a.shape[0];
        fixed (byte* ap = a.bytes) fixed (byte* xp = x.bytes) fixed (byte* gp = g.bytes) fixed (byte* gz = gradZ.bytes) fixed (byte* ga = gradAlpha.bytes)
        {
            nint aa = (nint)ap, xa = (nint)xp, gg = (nint)gp, za = (nint)gz, al = (nint)ga;
            if (x.dtype == ScalarType.Float32)
            {
                GatherAll((float*)aa, (float*)gg, (float*)za, n, sourceSegments, sourceOrder, target, heads, channels);
                CsrKernels.ForRowBlocks(n, targetSegments, width, (first, last) =>
                {
                    for (int i = first; i < last; i++) SegmentDots((float*)gg, (float*)xa, (float*)al, i, heads, channels);
                });
            }
            else
            {
                Parallel.For(0, n, Options, j => Gather((double*)aa, (double*)gg, (double*)za, j, sourceSegments, sourceOrder, target, heads, channels));
                Parallel.For(0, edges, Options, e => EdgeDots((double*)gg, (double*)xa, (double*)al, e, heads, channels, width));
            }
        }
        return (gradAlpha, gradZ);
    }

    private static ParallelOptions Options => new() { MaxDegreeOfParallelism = CsrKernels.ThreadsHere };

    /// <summary>out[node] = Σ over the node's segment of α[e, h] · rows[other(e), h, :].</summary>
    private static unsafe void Gather<T>(T* alpha, T* rows, T* output, int node, int[] segments, int[]? order, int[] other, int heads, int channels)
        where T : unmanaged, INumber<T>
    {
        int width = heads * channels;
        var o = new Span<T>(output + (long)node * width, width);
        for (int k = segments[node]; k < segments[node + 1]; k++)
        {
            int e = order is null ? k : order[k];
            var r = new ReadOnlySpan<T>(rows + (long)other[e] * width, width);
            for (int h = 0; h < heads; h++)
                CsrKernels.Accumulate(o.Slice(h * channels, channels), r.Slice(h * channels, channels), alpha[(long)e * heads + h]);
        }
    }

    private unsafe void EdgeDots<T>(T* grad, T* z, T* gradAlpha, int e, int heads, int channels, int width) where T : unmanaged, INumber<T>
    {
        var g = new ReadOnlySpan<T>(grad + (long)target[e] * width, width);
        var x = new ReadOnlySpan<T>(z + (long)source[e] * width, width);
        for (int h = 0; h < heads; h++)
            gradAlpha[(long)e * heads + h] = CsrKernels.Dot(g.Slice(h * channels, channels), x.Slice(h * channels, channels));
    }

    private sealed class EdgeSoftmax : autograd.SingleTensorFunction<EdgeSoftmax>
    {
        public override string Name => nameof(EdgeSoftmax);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var kernels = (AttentionKernels)vars[0];
            var scoreSource = (Tensor)vars[1];
            var scoreTarget = (Tensor)vars[2];
            double slope = (double)vars[3];
            Tensor alpha = kernels.SoftmaxForward(scoreSource, scoreTarget, slope);
            ctx.save_for_backward([scoreSource, scoreTarget, alpha]);
            ctx.save_data("kernels", kernels);
            ctx.save_data("slope", slope);
            return alpha;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            List<Tensor> saved = ctx.get_saved_variables();
            var kernels = (AttentionKernels)ctx.get_data("kernels");
            (Tensor gradSource, Tensor gradTarget) = kernels.SoftmaxBackward(saved[0], saved[1], saved[2], grad, (double)ctx.get_data("slope"));
            return [null!, gradSource, gradTarget, null!];
        }
    }

    private sealed class WeightedSum : autograd.SingleTensorFunction<WeightedSum>
    {
        public override string Name => nameof(WeightedSum);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var kernels = (AttentionKernels)vars[0];
            var alpha = (Tensor)vars[1];
            var z = (Tensor)vars[2];
            int heads = (int)vars[3];
            ctx.save_for_backward([alpha, z]);
            ctx.save_data("kernels", kernels);
            ctx.save_data("heads", heads);
            return kernels.Forward(alpha, z, heads);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            List<Tensor> saved = ctx.get_saved_variables();
            var kernels = (AttentionKernels)ctx.get_data("kernels");
            (Tensor gradAlpha, Tensor gradZ) = kernels.Backward(saved[0], saved[1], grad, (int)ctx.get_data("heads"));
            return [null!, gradAlpha, gradZ, null!];
        }
    }
}
