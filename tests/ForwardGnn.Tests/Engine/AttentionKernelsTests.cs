using ForwardGnn.Engine;
using TorchSharp;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Tests.Engine;

public class AttentionKernelsTests
{
    /// <summary>Random edges sorted by target: a node with no in-edges, a hub with many, repeated pairs.</summary>
    private static (int[] Source, int[] Target) RandomEdges(int n, int seed)
    {
        var random = new Random(seed);
        var edges = new List<(int Source, int Target)>();
        for (int t = 0; t < n; t++)
        {
            int count = t == 3 ? 0 : t == 5 ? 4 * n : random.Next(1, 7);
            for (int k = 0; k < count; k++) edges.Add((random.Next(n), t));
        }
        edges.Add((1, 2));
        edges.Add((1, 2));
        edges.Sort((a, b) => a.Target.CompareTo(b.Target));
        return (edges.Select(e => e.Source).ToArray(), edges.Select(e => e.Target).ToArray());
    }

    /// <summary>
    /// out = Σ_e α[e, h] z[source(e), h, :] into target(e), and its gradients in α and z, in float32 against the same
    /// sum written as a gather, a product and an index_add in float64. The shapes cover the register-blocked path
    /// (heads of whole 8-float vectors, width a multiple of 64) and the plain one, on one and two threads.
    /// </summary>
    [Theory]
    [InlineData(4, 32, 1)]
    [InlineData(4, 32, 2)]
    [InlineData(4, 16, 2)]
    [InlineData(2, 8, 1)]
    [InlineData(3, 5, 2)]
    public void AggregateAndItsGradientsMatchAFloat64Reference(int heads, int channels, int threads)
    {
        using var scope = NewDisposeScope();
        const int n = 40;
        var (source, target) = RandomEdges(n, seed: heads * 100 + channels);
        var kernels = AttentionKernels.FromTargetSorted(n, source, target);
        manual_seed(7);
        Tensor alpha = rand(source.Length, heads).requires_grad_();
        Tensor z = randn(n, heads * channels).requires_grad_();
        Tensor weight = randn(n, heads * channels);

        Tensor output = OnThreads(threads, () => kernels.Aggregate(alpha, z, heads));
        OnThreads(threads, () => { output.mul(weight).sum().backward(); return output; });

        Tensor alpha64 = alpha.detach().to_type(ScalarType.Float64).requires_grad_();
        Tensor z64 = z.detach().to_type(ScalarType.Float64).requires_grad_();
        Tensor sources = tensor(source.Select(i => (long)i).ToArray()), targets = tensor(target.Select(i => (long)i).ToArray());
        Tensor messages = z64.index_select(0, sources).view(source.Length, heads, channels).mul(alpha64.unsqueeze(-1));
        Tensor expected = zeros(n, heads * channels, dtype: ScalarType.Float64).index_add(0, targets, messages.view(source.Length, heads * channels), One);
        expected.mul(weight.to_type(ScalarType.Float64)).sum().backward();

        AssertClose(expected, output);
        AssertClose(alpha64.grad!, alpha.grad!);
        AssertClose(z64.grad!, z.grad!);
    }

    /// <summary>
    /// α = the softmax over each target's edges of LeakyReLU_0.2(s_src[source] + s_dst[target]), and its gradients
    /// in s_src and s_dst, in float32 against the formula written with gathers and index_add in float64. Four heads
    /// take the vectorised path, three the plain one.
    /// </summary>
    [Theory]
    [InlineData(4, 1)]
    [InlineData(4, 2)]
    [InlineData(3, 2)]
    public void SoftmaxAndItsGradientsMatchAFloat64Reference(int heads, int threads)
    {
        using var scope = NewDisposeScope();
        const int n = 40;
        var (source, target) = RandomEdges(n, seed: heads);
        var kernels = AttentionKernels.FromTargetSorted(n, source, target);
        manual_seed(11);
        Tensor scoreSource = randn(n, heads).mul(3).requires_grad_(), scoreTarget = randn(n, heads).mul(3).requires_grad_();
        Tensor weight = randn(source.Length, heads);

        Tensor alpha = OnThreads(threads, () => kernels.Softmax(scoreSource, scoreTarget, 0.2));
        OnThreads(threads, () => { alpha.mul(weight).sum().backward(); return alpha; });

        Tensor source64 = scoreSource.detach().to_type(ScalarType.Float64).requires_grad_();
        Tensor target64 = scoreTarget.detach().to_type(ScalarType.Float64).requires_grad_();
        Tensor sources = tensor(source.Select(i => (long)i).ToArray()), targets = tensor(target.Select(i => (long)i).ToArray());
        Tensor e = source64.index_select(0, sources).add(target64.index_select(0, targets), One).leaky_relu(HeldScalars.Of(0.2));
        Tensor exp = e.sub(e.max()).exp();   // one constant for all segments leaves each segment's softmax unchanged
        Tensor sums = zeros(n, heads, dtype: ScalarType.Float64).index_add(0, targets, exp, One);
        Tensor expected = exp.div(sums.index_select(0, targets));
        expected.mul(weight.to_type(ScalarType.Float64)).sum().backward();

        AssertClose(expected, alpha);
        AssertClose(source64.grad!, scoreSource.grad!);
        AssertClose(target64.grad!, scoreTarget.grad!);
    }

    /// <summary>Runs <paramref name="run"/> with the kernels limited to <paramref name="threads"/> threads.</summary>
    private static Tensor OnThreads(int threads, Func<Tensor> run)
    {
        int saved = CsrKernels.MaxThreads;
        try
        {
            CsrKernels.MaxThreads = threads;
            return run();
        }
        finally { CsrKernels.MaxThreads = saved; }
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        double error = actual.to_type(ScalarType.Float64).sub(expected).abs().max().item<double>();
        Assert.True(error < 1e-4, $"max |difference| {error:E2}");
    }
}
