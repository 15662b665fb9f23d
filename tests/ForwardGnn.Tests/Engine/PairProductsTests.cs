using ForwardGnn.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Engine;

public class PairProductsTests
{
    /// <summary>Random pairs over n nodes, with a repeated pair, a self-pair and (for n ≥ 3) an untouched node.</summary>
    private static (int[] Source, int[] Target) Pairs(int n, int count, int seed)
    {
        var random = new Random(seed);
        int[] source = Enumerable.Range(0, count).Select(_ => random.Next(n - 1)).ToArray();
        int[] target = Enumerable.Range(0, count).Select(_ => random.Next(n - 1)).ToArray();
        (source[1], target[1]) = (source[0], target[0]);
        target[2] = source[2];
        return (source, target);
    }

    private static Tensor Literal(Tensor z, int[] source, int[] target, bool squared)
    {
        Tensor products = z.index_select(0, tensor(source.Select(i => (long)i).ToArray())).mul(z.index_select(0, tensor(target.Select(i => (long)i).ToArray())));
        return (squared ? products.square() : products).sum(1);
    }

    [Theory]
    [InlineData(false, 20, 50, 13)]       // d below and between vector widths
    [InlineData(true, 20, 50, 67)]
    [InlineData(false, 3000, 6000, 64)]   // large enough to run in parallel blocks
    [InlineData(true, 3000, 6000, 64)]
    public void ValuesAndGradientsEqualTheGatheredProducts(bool squared, int nodes, int count, int d)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        (int[] source, int[] target) = Pairs(nodes, count, 5);
        var products = new PairProducts(source, target);
        Tensor weights = randn(count);
        Tensor zFused = randn(nodes, d).requires_grad_(), zLiteral = zFused.detach().clone().requires_grad_();

        Tensor fused = squared ? products.SquaredDot(zFused) : products.Dot(zFused);
        Tensor literal = Literal(zLiteral, source, target, squared);
        fused.mul(weights).sum().backward();
        literal.mul(weights).sum().backward();

        Assert.True(fused.allclose(literal, rtol: 1e-4, atol: 1e-4), "values differ");
        Assert.True(zFused.grad!.allclose(zLiteral.grad!, rtol: 1e-4, atol: 1e-4), "gradients differ");
        Assert.Equal(0f, zFused.grad![nodes - 1].abs().max().item<float>());   // a node in no pair gets no gradient
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GradientMatchesFiniteDifferences(bool squared)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        (int[] source, int[] target) = Pairs(6, 9, 7);
        var products = new PairProducts(source, target);
        Tensor weights = randn(9, dtype: ScalarType.Float64);
        Tensor z = randn(6, 5, dtype: ScalarType.Float64).requires_grad_();
        double Loss(Tensor x) => (squared ? products.SquaredDot(x) : products.Dot(x)).mul(weights).sum().item<double>();
        (squared ? products.SquaredDot(z) : products.Dot(z)).mul(weights).sum().backward();

        const double h = 1e-6;
        for (int i = 0; i < 6; i++)
            for (int k = 0; k < 5; k++)
            {
                using var _ = no_grad();
                Tensor plus = z.detach().clone(), minus = z.detach().clone();
                plus[i, k] = plus[i, k] + h;
                minus[i, k] = minus[i, k] - h;
                double numeric = (Loss(plus) - Loss(minus)) / (2 * h);
                Assert.Equal(numeric, z.grad![i, k].item<double>(), 6);
            }
    }
}
