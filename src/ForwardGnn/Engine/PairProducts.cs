using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Engine;

/// <summary>
/// Products of fixed node pairs (u_p, v_p) of node embeddings z [N, d], differentiable in z, without gathering the
/// two [P, d] row copies that <c>z[u] * z[v]</c> makes and that its backward scatters back:
/// <list type="bullet">
/// <item><see cref="Dot"/>: s_p = ⟨z_u, z_v⟩ → [P]; ∂L/∂z = G z, with G [N, N] holding ∂L/∂s_p at (u_p, v_p) and at
/// (v_p, u_p), summed where pairs repeat.</item>
/// <item><see cref="SquaredDot"/>: s_p = Σ_k (z_u,k · z_v,k)² → [P]; ∂L/∂z = 2 z ⊙ (G z²).</item>
/// </list>
/// G's pattern is fixed by the pairs, so it is compressed once (CSR over N rows) and only its values change per
/// backward; the product runs through <see cref="CsrKernels"/>. CPU float32 and float64.
/// </summary>
internal sealed unsafe class PairProducts(int[] source, int[] target)
{
    private Pattern? _pattern;
    private readonly Lock _building = new();

    public int Count => source.Length;

    /// <summary>⟨z_u, z_v⟩ for every pair: z [N, d] → [P].</summary>
    public Tensor Dot(Tensor z) => Product.apply(this, z, false);

    /// <summary>Σ_k (z_u,k · z_v,k)² for every pair: z [N, d] → [P].</summary>
    public Tensor SquaredDot(Tensor z) => Product.apply(this, z, true);

    /// <summary>G's CSR pattern for N rows, and the two slots every pair's value goes to.</summary>
    private sealed record Pattern(int Rows, int[] Pointer, int[] Index, int[] SlotOfSource, int[] SlotOfTarget);

    private Pattern PatternFor(int rows)
    {
        lock (_building) return _pattern?.Rows == rows ? _pattern : _pattern = Compress(rows);
    }

    private Pattern Compress(int rows)
    {
        var pointer = new int[rows + 1];
        for (int p = 0; p < Count; p++)
        {
            pointer[source[p] + 1]++;
            pointer[target[p] + 1]++;
        }
        for (int r = 0; r < rows; r++) pointer[r + 1] += pointer[r];
        int[] next = pointer[..^1];
        var index = new int[2 * Count];
        int[] slotOfSource = new int[Count], slotOfTarget = new int[Count];
        for (int p = 0; p < Count; p++)
        {
            index[slotOfSource[p] = next[source[p]]++] = target[p];
            index[slotOfTarget[p] = next[target[p]]++] = source[p];
        }
        return new Pattern(rows, pointer, index, slotOfSource, slotOfTarget);
    }

    private Tensor Forward(Tensor z, bool squared)
    {
        using Tensor x = z.detach().contiguous();
        int d = (int)x.shape[1];
        Tensor output = empty(Count, dtype: x.dtype);
        fixed (byte* xp = x.bytes) fixed (byte* op = output.bytes)
        {
            nint xa = (nint)xp, oa = (nint)op;
            if (x.dtype == ScalarType.Float32) ForPairBlocks(d, (first, last) => Dots((float*)xa, (float*)oa, d, first, last, squared));
            else ForPairBlocks(d, (first, last) => Dots((double*)xa, (double*)oa, d, first, last, squared));
        }
        return output;
    }

    private void Dots<T>(T* z, T* output, int d, int first, int last, bool squared) where T : unmanaged, INumber<T>
    {
        for (int p = first; p < last; p++)
        {
            var a = new ReadOnlySpan<T>(z + (long)source[p] * d, d);
            var b = new ReadOnlySpan<T>(z + (long)target[p] * d, d);
            output[p] = squared ? SumOfSquaredProducts(a, b) : CsrKernels.Dot(a, b);
        }
    }

    private static T SumOfSquaredProducts<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, INumber<T>
    {
        int i = 0;
        var acc = Vector<T>.Zero;
        for (; i <= a.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            Vector<T> product = new Vector<T>(a[i..]) * new Vector<T>(b[i..]);
            acc += product * product;
        }
        T sum = Vector.Sum(acc);
        for (; i < a.Length; i++) sum += a[i] * b[i] * (a[i] * b[i]);
        return sum;
    }

    /// <summary>G z for G with ∂L/∂s_p at both of pair p's slots: z [N, d] → [N, d].</summary>
    private Tensor Spread(Tensor grad, Tensor z)
    {
        Pattern pattern = PatternFor((int)z.shape[0]);
        using Tensor x = z.detach().contiguous(), g = grad.detach().contiguous();
        int d = (int)x.shape[1];
        Tensor output = empty_like(x);
        fixed (byte* xp = x.bytes) fixed (byte* op = output.bytes)
        {
            if (x.dtype == ScalarType.Float32)
                CsrKernels.Multiply(pattern.Rows, pattern.Pointer, pattern.Index, Values(pattern, g.data<float>().ToArray()), (float*)xp, (float*)op, d);
            else
                CsrKernels.Multiply(pattern.Rows, pattern.Pointer, pattern.Index, Values(pattern, g.data<double>().ToArray()), (double*)xp, (double*)op, d);
        }
        return output;
    }

    private static T[] Values<T>(Pattern pattern, T[] pairGrad) where T : unmanaged
    {
        var values = new T[pattern.Index.Length];
        for (int p = 0; p < pairGrad.Length; p++) values[pattern.SlotOfSource[p]] = values[pattern.SlotOfTarget[p]] = pairGrad[p];
        return values;
    }

    private void ForPairBlocks(int d, Action<int, int> body)
    {
        int threads = CsrKernels.ThreadsHere;
        if (threads <= 1 || (long)Count * d < 1 << 18)
        {
            body(0, Count);
            return;
        }
        int blocks = 4 * threads, size = (Count + blocks - 1) / blocks;
        OpenMpTeam.For(blocks, threads, i => body(Math.Min(Count, i * size), Math.Min(Count, (i + 1) * size)));
    }

    /// <summary>Autograd node: forward the pair products, backward G z (or 2 z ⊙ G z² when squared).</summary>
    private sealed class Product : autograd.SingleTensorFunction<Product>
    {
        public override string Name => nameof(PairProducts);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var products = (PairProducts)vars[0];
            var z = (Tensor)vars[1];
            bool squared = (bool)vars[2];
            ctx.save_for_backward([z]);
            ctx.save_data("products", products);
            ctx.save_data("squared", squared);
            return products.Forward(z, squared);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            Tensor z = ctx.get_saved_variables()[0];
            var products = (PairProducts)ctx.get_data("products");
            if (!(bool)ctx.get_data("squared")) return [null!, products.Spread(grad, z), null!];
            using Tensor squares = z.detach().pow(Two);
            using Tensor spread = products.Spread(grad, squares);
            return [null!, spread.mul(z.detach()).mul_(HeldScalars.Of(2)), null!];
        }
    }
}
