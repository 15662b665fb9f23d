using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Support;

/// <summary>A fixed optimisation problem for comparing an optimizer against libtorch's.</summary>
public static class OptimizerRun
{
    /// <summary>Runs 30 steps of an optimizer on a fixed quadratic-plus-noise objective and returns the parameters.</summary>
    public static Tensor[] Train(ScalarType dtype, Func<Parameter[], (Action ZeroGrad, Action Step)> optimizer)
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

    /// <summary>Each parameter within 1e-5 of libtorch's optimizer, and the run actually moved them.</summary>
    public static void AssertSameParameters(ScalarType dtype, Tensor[] expected, Tensor[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(actual[i].allclose(expected[i], rtol: 1e-5, atol: 1e-6), $"parameter {i}: max difference {(actual[i] - expected[i]).abs().max().to_type(ScalarType.Float64).item<double>()}");
        Assert.False(expected[2].allclose(Train(dtype, ps => (() => { }, () => { }))[2]), "the parameters did not move");
    }
}
