using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Engine;

/// <summary>
/// Attention-weighted aggregation without materialising per-edge messages: out[i, h, :] = Σ_{e = (j → i)} α[e, h] ·
/// z[j, h, :], for edges sorted by target (node i owns edges <c>TargetSegments[i] .. TargetSegments[i+1]−1</c>).
/// The backward pass gives ∂/∂z (summed over each node's out-edges, via <c>SourceOrder</c>) and ∂/∂α (one dot
/// product per edge and head). Shapes: α [E, H], z [N, H·C] → [N, H·C]. CPU, float32 or float64.
/// </summary>
public sealed class AttentionKernels(int[] targetSegments, int[] source, int[] sourceSegments, int[] sourceOrder, int[] target)
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

    private unsafe Tensor Forward(Tensor alpha, Tensor z, int heads)
    {
        using Tensor a = alpha.detach().contiguous(), x = z.detach().contiguous();
        Tensor output = zeros_like(x);
        int width = (int)x.shape[1], channels = width / heads, n = (int)x.shape[0];
        fixed (byte* ap = a.bytes) fixed (byte* xp = x.bytes) fixed (byte* op = output.bytes)
        {
            nint aa = (nint)ap, xa = (nint)xp, oa = (nint)op;
            if (x.dtype == ScalarType.Float32)
                Parallel.For(0, n, Options, i => Gather((float*)aa, (float*)xa, (float*)oa, i, targetSegments, null, source, heads, channels));
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
                Parallel.For(0, n, Options, j => Gather((float*)aa, (float*)gg, (float*)za, j, sourceSegments, sourceOrder, target, heads, channels));
                Parallel.For(0, edges, Options, e => EdgeDots((float*)gg, (float*)xa, (float*)al, e, heads, channels, width));
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
        {
            T sum = T.Zero;
            for (int c = h * channels; c < (h + 1) * channels; c++) sum += g[c] * x[c];
            gradAlpha[(long)e * heads + h] = sum;
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
