using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class SymBaTests
{
    private static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    [Fact]
    public void LossIsSoftplusOfTheScaledGoodnessGap()
    {
        using var scope = NewDisposeScope();
        // Gaps 3 − 1 = 2 and 1 − 2 = −1.
        double loss = SymBa.Loss(tensor(new float[] { 3, 1 }), tensor(new float[] { 1, 2 })).item<float>();
        Assert.Equal((Softplus(-4 * 2) + Softplus(-4 * -1)) / 2, loss, 5);
    }

    [Fact]
    public void NodeLossPairsEveryTrainingNodeWithEveryNegative()
    {
        using var scope = NewDisposeScope();
        // Goodness Σa²: positive rows 0, 1, 2 → 1, 4, 2; negative 1 → 0, 9, 1; negative 2 → 4, 0, 1.
        Tensor positive = tensor(new float[] { 1, 0, 0, 2, 1, 1 }, [3, 2]);
        Tensor negative1 = tensor(new float[] { 0, 0, 3, 0, 1, 0 }, [3, 2]);
        Tensor negative2 = tensor(new float[] { 2, 0, 0, 0, 0, 1 }, [3, 2]);
        Tensor trainNodes = tensor(new long[] { 0, 2 });
        double expected = (Softplus(-4 * (1 - 0)) + Softplus(-4 * (2 - 1)) + Softplus(-4 * (1 - 4)) + Softplus(-4 * (2 - 1))) / 4;
        Assert.Equal(expected, SymBa.NodeLoss(positive, [negative1, negative2], trainNodes).item<float>(), 5);
    }

    [Fact]
    public void GradientRaisesPositiveAndLowersNegativeGoodness()
    {
        using var scope = NewDisposeScope();
        Tensor positive = tensor(new float[] { 1, 1 }, [1, 2]).requires_grad_();
        Tensor negative = tensor(new float[] { 1, 0.5f }, [1, 2]).requires_grad_();
        SymBa.NodeLoss(positive, [negative], tensor(new long[] { 0 })).backward();
        Assert.All(positive.grad!.data<float>().ToArray(), g => Assert.True(g < 0));   // descent makes |a⁺| grow
        Assert.All(negative.grad!.data<float>().ToArray(), g => Assert.True(g > 0));   // and |a⁻| shrink
    }

    [Fact]
    public void LinkLossPairsTheKthPositiveWithTheKthNegative()
    {
        using var scope = NewDisposeScope();
        // Embeddings of 4 nodes; goodness of (u, v) is Σ (z_u ⊙ z_v)² − θ.
        Tensor z = tensor(new float[] { 1, 0, 2, 0, 1, 1, 0, 3 }, [4, 2]);
        // Positives (0, 1): g = 4 − θ, (2, 3): g = 9 − θ; negatives (0, 2): 1 − θ, (1, 3): 0 − θ.
        var pairs = new LinkPairs(tensor(new long[] { 0, 2, 0, 1 }), tensor(new long[] { 1, 3, 2, 3 }),
            tensor(new float[] { 1, 1, 0, 0 }), [1, 1, 0, 0]);
        var algorithm = new ForwardLinkAlgorithm("fl-symba", LinkObjective.SymBa);
        double expected = (Softplus(-4 * (4 - 1)) + Softplus(-4 * (9 - 0))) / 2;
        Assert.Equal(expected, algorithm.Loss(z, pairs).item<float>(), 5);
    }
}
