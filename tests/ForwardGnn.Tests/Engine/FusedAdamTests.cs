using ForwardGnn.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Engine;

public class FusedAdamTests
{
    /// <summary>Runs 30 steps of an optimizer on a fixed quadratic-plus-noise objective and returns the parameters.</summary>
    private static Tensor[] Train(ScalarType dtype, Func<Parameter[], (Action ZeroGrad, Action Step)> optimizer)
    {
        var generator = new Generator(11);
        // Sizes around the vector width: a remainder-only tensor, one with a remainder, one of whole vectors.
        Parameter[] parameters = [new(randn(3, dtype: dtype, generator: generator)), new(randn(5, 7, dtype: dtype, generator: generator)),
            new(randn(64, 16, dtype: dtype, generator: generator))];
        Tensor[] targets = parameters.Select(p => randn(p.shape, dtype: dtype, generator: generator)).ToArray();
        (Action zeroGrad, Action step) = optimizer(parameters);
        for (int t = 0; t < 30; t++)
        {
            zeroGrad();
            Tensor loss = zeros(1, dtype: dtype);
            for (int i = 0; i < parameters.Length; i++) loss = loss + (parameters[i] - targets[i]).pow(2).sum() * (1 + t % 3);
            loss.backward();
            step();
        }
        return parameters.Select(p => p.detach().clone()).ToArray();
    }

    [Theory]
    [InlineData(ScalarType.Float32)]   // the fused pass
    [InlineData(ScalarType.Float64)]   // the fallback through libtorch operations
    public void UpdatesLikeLibTorchsAdam(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        Tensor[] expected = Train(dtype, ps =>
        {
            var adam = optim.Adam(ps, lr: 0.05, weight_decay: 5e-2);
            return (() => adam.zero_grad(), () => adam.step());
        });
        Tensor[] actual = Train(dtype, ps =>
        {
            var adam = new FusedAdam(ps, lr: 0.05, weightDecay: 5e-2);
            return (adam.ZeroGrad, adam.Step);
        });

        for (int i = 0; i < expected.Length; i++)
            Assert.True(actual[i].allclose(expected[i], rtol: 1e-5, atol: 1e-6), $"parameter {i}: max difference {(actual[i] - expected[i]).abs().max().to_type(ScalarType.Float64).item<double>()}");
        Assert.False(expected[2].allclose(Train(dtype, ps => (() => { }, () => { }))[2]), "the parameters did not move");
    }

    [Fact]
    public void ZeroGradClearsEveryGradient()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(4));
        using var adam = new FusedAdam([p], lr: 0.1);
        p.mul(3).sum().backward();
        Assert.Equal(3f, p.grad!.max().item<float>());
        adam.ZeroGrad();
        Assert.Null(p.grad);
        p.mul(2).sum().backward();                       // the next gradient is not added to the old one
        Assert.Equal(2f, p.grad!.max().item<float>());
        adam.Step();                                     // a parameter without gradient is left as it is, like optim.Adam
        var untouched = new Parameter(ones(2));
        using var other = new FusedAdam([untouched], lr: 0.1, weightDecay: 0.5);
        other.Step();
        Assert.Equal(1f, untouched.min().item<float>());
    }
}
