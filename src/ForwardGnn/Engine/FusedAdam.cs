using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Engine;

/// <summary>
/// Adam with L2 weight decay, the update of <c>torch.optim.Adam</c> (amsgrad off), in one pass over each parameter:
/// g = ∇ + λθ; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
/// libtorch's Adam makes about ten passes over every parameter, each a separate operation (and, above a few thousand
/// elements, a separate parallel region); this reads θ, ∇, m, v once and writes θ, m, v once, on the calling thread.
/// Parameters that are not contiguous float32 CPU tensors take the same update as libtorch operations.
/// </summary>
internal sealed class FusedAdam : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;
    private readonly float _lr, _weightDecay, _beta1, _beta2, _eps;
    private int _step;

    public FusedAdam(IEnumerable<Parameter> parameters, double lr, double weightDecay = 0, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        _parameters = parameters.ToArray();
        _m = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _v = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        (_lr, _weightDecay, _beta1, _beta2, _eps) = ((float)lr, (float)weightDecay, (float)beta1, (float)beta2, (float)eps);
    }

    /// <summary>
    /// Drops every parameter's gradient, as PyTorch's <c>zero_grad(set_to_none=True)</c>: the next backward stores its
    /// gradient instead of adding it into a zeroed one (a fill and an add fewer per parameter and step).
    /// </summary>
    public void ZeroGrad()
    {
        foreach (Parameter p in _parameters) p.grad = null;
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        _step++;
        double correction1 = 1 - Math.Pow(_beta1, _step), correction2 = 1 - Math.Pow(_beta2, _step);
        float stepSize = (float)(_lr / correction1), correction2Root = (float)Math.Sqrt(correction2);
        using var _ = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            using Tensor? grad = _parameters[i].grad;
            if (grad is null) continue;
            if (IsPlain(_parameters[i]) && FollowLayout(_parameters[i], grad, _m[i], _v[i]))
                UpdateInPlace(_parameters[i], grad, _m[i], _v[i], stepSize, correction2Root);
            else UpdateWithOperations(_parameters[i], grad, _m[i], _v[i], stepSize, correction2Root);
        }
    }

    /// <summary>
    /// A float32 CPU tensor whose elements fill one block of memory: contiguous, or a matrix laid out transposed
    /// (tᵀ contiguous; a layer may keep its weight so). The update is elementwise, so it runs over that block.
    /// </summary>
    private static bool IsPlain(Tensor t) =>
        t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32
        && (t.is_contiguous() || t.dim() == 2 && t.stride(0) == 1 && t.stride(1) == t.shape[0]);

    /// <summary>
    /// Whether the gradient lies in memory as the parameter does (element i of one block is element i of the other);
    /// if so, the moments are laid out the same way too (once, when a layer has changed its weight's layout, <see cref="ParameterLayout"/>).
    /// </summary>
    private static bool FollowLayout(Tensor parameter, Tensor grad, Tensor m, Tensor v)
    {
        if (grad.device_type != DeviceType.CPU || grad.dtype != ScalarType.Float32) return false;
        long[] strides = parameter.stride();
        if (!grad.stride().SequenceEqual(strides)) return false;
        foreach (Tensor moment in (ReadOnlySpan<Tensor>)[m, v])
            if (!moment.stride().SequenceEqual(strides)) ParameterLayout.Follow(moment, parameter);
        return m.stride().SequenceEqual(strides) && v.stride().SequenceEqual(strides);
    }

    /// <summary>A contiguous tensor over the memory block of a plain tensor: itself, or its transpose.</summary>
    private static Tensor Block(Tensor t) => t.is_contiguous() ? t.alias() : t.t();

    /// <summary>Below this many elements a parameter is updated on the calling thread: a fork costs more than it saves.</summary>
    private const long ParallelAbove = 1 << 16;

    /// <summary>
    /// The update of one parameter, over element ranges on the compute threads when it is large (each element's
    /// arithmetic is the same wherever it runs, so the result does not depend on the split).
    /// </summary>
    private unsafe void UpdateInPlace(Tensor parameter, Tensor grad, Tensor m, Tensor v, float stepSize, float correction2Root)
    {
        long n = parameter.numel();
        using Tensor pBlock = Block(parameter), gBlock = Block(grad), mBlock = Block(m), vBlock = Block(v);
        fixed (byte* pb = pBlock.bytes, gb = gBlock.bytes, mb = mBlock.bytes, vb = vBlock.bytes)
        {
            nint p = (nint)pb, g = (nint)gb, ma = (nint)mb, va = (nint)vb;
            int threads = CsrKernels.ThreadsHere;
            if (threads <= 1 || n < ParallelAbove)
            {
                UpdateRange((float*)p, (float*)g, (float*)ma, (float*)va, n, stepSize, correction2Root);
                return;
            }
            int blocks = 2 * threads;
            long Bound(int i) => i == blocks ? n : n * i / blocks & ~7L;   // vector-aligned ranges
            OpenMpTeam.For(blocks, threads, i =>
                UpdateRange((float*)p + Bound(i), (float*)g + Bound(i), (float*)ma + Bound(i), (float*)va + Bound(i), Bound(i + 1) - Bound(i), stepSize, correction2Root));
        }
    }

    /// <summary>Elements [0, n) of the blocks at <paramref name="p"/> (θ), <paramref name="g"/> (∇), <paramref name="ma"/> (m), <paramref name="va"/> (v).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from its first call: no slow first tier
    private unsafe void UpdateRange(float* p, float* g, float* ma, float* va, long n, float stepSize, float correction2Root)
    {
        long i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var wd = Vector256.Create(_weightDecay);
            var b1 = Vector256.Create(_beta1);
            var c1 = Vector256.Create(1 - _beta1);
            var b2 = Vector256.Create(_beta2);
            var c2 = Vector256.Create(1 - _beta2);
            var root = Vector256.Create(correction2Root);
            var eps = Vector256.Create(_eps);
            var size = Vector256.Create(stepSize);
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float> theta = Vector256.Load(p + i);
                Vector256<float> gi = Vector256.Load(g + i) + wd * theta;
                Vector256<float> mi = b1 * Vector256.Load(ma + i) + c1 * gi;
                Vector256<float> vi = b2 * Vector256.Load(va + i) + c2 * (gi * gi);
                mi.Store(ma + i);
                vi.Store(va + i);
                (theta - size * (mi / (Vector256.Sqrt(vi) / root + eps))).Store(p + i);
            }
        }
        for (; i < n; i++)
        {
            float gi = g[i] + _weightDecay * p[i];
            ma[i] = _beta1 * ma[i] + (1 - _beta1) * gi;
            va[i] = _beta2 * va[i] + (1 - _beta2) * gi * gi;
            p[i] -= stepSize * (ma[i] / (MathF.Sqrt(va[i]) / correction2Root + _eps));
        }
    }

    private void UpdateWithOperations(Tensor parameter, Tensor grad, Tensor m, Tensor v, float stepSize, float correction2Root)
    {
        // Scalars disposed here or held for the process: a collected Scalar can be freed while libtorch reads it.
        using var scope = NewDisposeScope();
        using Scalar size = (-stepSize).ToScalar(), root = correction2Root.ToScalar();
        Tensor g = grad.add(parameter, alpha: HeldScalars.Of(_weightDecay));
        m.mul_(HeldScalars.Of(_beta1)).add_(g, alpha: HeldScalars.Of(1 - _beta1));
        v.mul_(HeldScalars.Of(_beta2)).addcmul_(g, g, value: HeldScalars.Of(1 - _beta2));
        parameter.addcdiv_(m, v.sqrt().div_(root).add_(HeldScalars.Of(_eps), One), value: size);
    }

    public void Dispose()
    {
        foreach (Tensor t in _m.Concat(_v)) t.Dispose();
    }
}
