using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace ForwardGnn.Engine;

/// <summary>
/// A narrow linear map (a classifier's few outputs) over a ReLU layer's rows, forward and backward, in single passes
/// over the rows of contiguous float32 CPU matrices: Q = h Wᵀ [N, C] for h [N, H], W [C, H]; and, given ∂L/∂Q,
/// ∂L/∂W = (∂L/∂Q)ᵀ h [C, H], G = ((∂L/∂Q) W) ⊙ [h &gt; 0] [N, H] and Σ_rows G [H]. MKL's GEMMs of these shapes
/// ([N, H]·[H, C], [C, N]·[N, H], [N, C]·[C, H]) run far below its speed on square ones; here each row of h is read
/// once for the forward and once for all three backward products. Rows run in blocks on the compute threads when
/// large, each block with its own partial sums, added in block order (the same numbers at any thread count).
/// </summary>
internal static unsafe class NarrowProducts
{
    /// <summary>Below this many multiply-adds a pass runs on the calling thread: a fork costs more than it saves.</summary>
    private const long ParallelAbove = 1 << 18;

    /// <summary>Blocks of rows for a pass of <paramref name="work"/> multiply-adds: 1, or a few per compute thread.</summary>
    private static int Blocks(long work) => CsrKernels.ThreadsHere <= 1 || work < ParallelAbove ? 1 : 4 * CsrKernels.ThreadsHere;

    private static void ForBlocks(int blocks, Action<int> body)
    {
        if (blocks == 1) body(0);
        else OpenMpTeam.For(blocks, CsrKernels.ThreadsHere, body);
    }

    /// <summary>Q = h Wᵀ: h [N, H], W [C, H] (both contiguous float32) → a new Q [N, C].</summary>
    public static Tensor Project(Tensor h, Tensor weight)
    {
        int n = (int)h.shape[0], width = (int)h.shape[1], c = (int)weight.shape[0];
        Tensor q = empty(n, c);
        int padded = (c + 3) / 4 * 4;   // W's rows in groups of four, the last group filled with zero rows
        var w = new float[padded * width];
        weight.data<float>().CopyTo(w, 0);
        int blocks = Blocks((long)n * width * c);
        fixed (byte* hb = h.bytes, qb = q.bytes)
        fixed (float* wp0 = w)
        {
            nint hp = (nint)hb, wp = (nint)wp0, qp = (nint)qb;
            ForBlocks(blocks, i => ProjectRows((float*)hp, (float*)wp, (float*)qp, width, c, (long)n * i / blocks, (long)n * (i + 1) / blocks));
        }
        return q;
    }

    /// <summary>
    /// Rows [first, last) of Q = h Wᵀ, two rows against four rows of W at a time: eight independent sums, so the
    /// multiply-adds are not held up by each other's latency. <paramref name="w"/> has its rows padded to a multiple of four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from its first call: no slow first tier
    private static void ProjectRows(float* h, float* w, float* q, int width, int c, long first, long last)
    {
        Span<float> sums = stackalloc float[8];
        for (long r = first; r < last; r += 2)
        {
            bool pair = r + 1 < last;
            float* h0 = h + r * width, h1 = pair ? h0 + width : h0;
            for (int k = 0; k < c; k += 4)
            {
                float* w0 = w + (long)k * width, w1 = w0 + width, w2 = w1 + width, w3 = w2 + width;
                Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
                Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
                int j = 0;
                for (; j + 8 <= width; j += 8)
                {
                    Vector256<float> x0 = Vector256.Load(h0 + j), x1 = Vector256.Load(h1 + j);
                    Vector256<float> v0 = Vector256.Load(w0 + j), v1 = Vector256.Load(w1 + j), v2 = Vector256.Load(w2 + j), v3 = Vector256.Load(w3 + j);
                    a00 = Vector256.FusedMultiplyAdd(x0, v0, a00); a01 = Vector256.FusedMultiplyAdd(x0, v1, a01);
                    a02 = Vector256.FusedMultiplyAdd(x0, v2, a02); a03 = Vector256.FusedMultiplyAdd(x0, v3, a03);
                    a10 = Vector256.FusedMultiplyAdd(x1, v0, a10); a11 = Vector256.FusedMultiplyAdd(x1, v1, a11);
                    a12 = Vector256.FusedMultiplyAdd(x1, v2, a12); a13 = Vector256.FusedMultiplyAdd(x1, v3, a13);
                }
                sums[0] = Vector256.Sum(a00); sums[1] = Vector256.Sum(a01); sums[2] = Vector256.Sum(a02); sums[3] = Vector256.Sum(a03);
                sums[4] = Vector256.Sum(a10); sums[5] = Vector256.Sum(a11); sums[6] = Vector256.Sum(a12); sums[7] = Vector256.Sum(a13);
                for (; j < width; j++)
                    for (int i = 0; i < 4; i++)
                    {
                        sums[i] += h0[j] * w0[(long)i * width + j];
                        sums[4 + i] += h1[j] * w0[(long)i * width + j];
                    }
                for (int i = 0; i < 4 && k + i < c; i++)
                {
                    q[r * c + k + i] = sums[i];
                    if (pair) q[(r + 1) * c + k + i] = sums[4 + i];
                }
            }
        }
    }

    /// <summary>
    /// The backward of <see cref="Project"/> through the ReLU that made h: from dQ [N, C], returns ∂L/∂W = dQᵀ h
    /// [C, H], G = (dQ W) ⊙ [h &gt; 0] [N, H] and ∂L/∂b = Σ_rows G [H] (b: the bias inside that ReLU), all new tensors.
    /// </summary>
    public static (Tensor WeightGrad, Tensor Masked, Tensor BiasGrad) Backward(Tensor dq, Tensor h, Tensor weight)
    {
        int n = (int)h.shape[0], width = (int)h.shape[1], c = (int)weight.shape[0];
        Tensor masked = empty(n, width);
        int blocks = Blocks(2L * n * width * c);
        var partial = new float[blocks * (c + 1) * width];   // per block: ∂W [C, H], then Σ G [H]
        fixed (byte* dqb = dq.bytes, hb = h.bytes, wb = weight.bytes, gb = masked.bytes)
        fixed (float* sums = partial)
        {
            nint dqp = (nint)dqb, hp = (nint)hb, wp = (nint)wb, gp = (nint)gb, sp = (nint)sums;
            ForBlocks(blocks, i => BackwardRows((float*)dqp, (float*)hp, (float*)wp, (float*)gp, (float*)sp + (long)i * (c + 1) * width,
                width, c, (long)n * i / blocks, (long)n * (i + 1) / blocks));
        }
        var total = new float[(c + 1) * width];
        for (int block = 0; block < blocks; block++)
            for (int j = 0; j < total.Length; j++) total[j] += partial[block * total.Length + j];
        Tensor weightGrad = tensor(total.AsSpan(0, c * width).ToArray(), [c, width]);
        Tensor biasGrad = tensor(total.AsSpan(c * width, width).ToArray(), [width]);
        return (weightGrad, masked, biasGrad);
    }

    /// <summary>
    /// Rows [first, last): dW [C, H] += dq_r ⊗ h_r; g_r = Σ_k dq_rk W_k masked by h_r &gt; 0, stored and added into
    /// sum [H] (after dW's C rows). Four rows at a time: one read-modify-write of dW per four rows, and four
    /// independent sums for g.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from its first call: no slow first tier
    private static void BackwardRows(float* dq, float* h, float* w, float* g, float* dw, int width, int c, long first, long last)
    {
        float* sum = dw + (long)c * width;
        long r = first;
        for (; r + 4 <= last; r += 4)
        {
            float* h0 = h + r * width;
            float* g0 = g + r * width;
            float* d0 = dq + r * c;
            int j = 0;
            for (; j + 8 <= width; j += 8)
            {
                Vector256<float> x0 = Vector256.Load(h0 + j), x1 = Vector256.Load(h0 + width + j);
                Vector256<float> x2 = Vector256.Load(h0 + 2 * width + j), x3 = Vector256.Load(h0 + 3 * width + j);
                Vector256<float> y0 = default, y1 = default, y2 = default, y3 = default;
                for (int k = 0; k < c; k++)
                {
                    Vector256<float> s0 = Vector256.Create(d0[k]), s1 = Vector256.Create(d0[c + k]);
                    Vector256<float> s2 = Vector256.Create(d0[2 * c + k]), s3 = Vector256.Create(d0[3 * c + k]);
                    float* dwk = dw + (long)k * width + j;
                    Vector256<float> wk = Vector256.Load(w + (long)k * width + j);
                    Vector256<float> acc = Vector256.Load(dwk);
                    acc = Vector256.FusedMultiplyAdd(s0, x0, acc);
                    acc = Vector256.FusedMultiplyAdd(s1, x1, acc);
                    acc = Vector256.FusedMultiplyAdd(s2, x2, acc);
                    Vector256.FusedMultiplyAdd(s3, x3, acc).Store(dwk);
                    y0 = Vector256.FusedMultiplyAdd(s0, wk, y0);
                    y1 = Vector256.FusedMultiplyAdd(s1, wk, y1);
                    y2 = Vector256.FusedMultiplyAdd(s2, wk, y2);
                    y3 = Vector256.FusedMultiplyAdd(s3, wk, y3);
                }
                y0 = Mask(y0, x0); y1 = Mask(y1, x1); y2 = Mask(y2, x2); y3 = Mask(y3, x3);
                y0.Store(g0 + j); y1.Store(g0 + width + j); y2.Store(g0 + 2 * width + j); y3.Store(g0 + 3 * width + j);
                (Vector256.Load(sum + j) + y0 + y1 + y2 + y3).Store(sum + j);
            }
            if (j < width)
                for (int i = 0; i < 4; i++) BackwardTail(d0 + i * c, h0 + i * width, w, g0 + i * width, dw, sum, width, c, j);
        }
        for (; r < last; r++) BackwardTail(dq + r * c, h + r * width, w, g + r * width, dw, sum, width, c, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mask(Vector256<float> g, Vector256<float> h) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(h, Vector256<float>.Zero), g, Vector256<float>.Zero);

    /// <summary>Columns [from, H) of one row of <see cref="BackwardRows"/>, one at a time.</summary>
    private static void BackwardTail(float* dqr, float* hr, float* w, float* gr, float* dw, float* sum, int width, int c, int from)
    {
        for (int j = from; j < width; j++)
        {
            float gs = 0;
            for (int k = 0; k < c; k++)
            {
                dw[(long)k * width + j] += dqr[k] * hr[j];
                gs += dqr[k] * w[(long)k * width + j];
            }
            gr[j] = hr[j] > 0 ? gs : 0;
            sum[j] += gr[j];
        }
    }
}
