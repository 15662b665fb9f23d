using ForwardGnn.Data;
using ForwardGnn.Learning.Forward;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class GoodnessTests
{
    [Fact]
    public void LossIsBceOfSumOfSquaresMinusTheta()
    {
        using var scope = NewDisposeScope();
        Tensor a = tensor(new float[] { 1, 1, 2, 0, 9, 9 }, [3, 2]);   // Σa² = 2, 4, 162
        Tensor nodes = tensor(new long[] { 0, 1 });
        // Positive: logits 0 and 2 → mean(−log σ(0), −log σ(2)).
        double expected = (Math.Log(2) + Math.Log(1 + Math.Exp(-2))) / 2;
        Assert.Equal(expected, Goodness.Loss(a, nodes, positive: true).item<float>(), 5);
        // Negative: −log(1 − σ(x)) = log(1 + e^x).
        double negative = (Math.Log(2) + Math.Log(1 + Math.Exp(2))) / 2;
        Assert.Equal(negative, Goodness.Loss(a, nodes, positive: false).item<float>(), 5);
        Assert.Equal(expected + negative, Goodness.Loss(a, [a, a], nodes).item<float>(), 5);
    }

    [Fact]
    public void ScoreIsMeanOfSquaresMinusTheta()
    {
        using var scope = NewDisposeScope();
        Tensor a = tensor(new float[] { 1, 1, 2, 0 }, [2, 2]);
        Assert.Equal(new[] { 1f - 2f, 2f - 2f }, Goodness.Score(a).data<float>().ToArray());
    }

    [Fact]
    public void WrongClassesAreAPermutationOfTheOtherClassesPerNode()
    {
        int[][] wrong = WrongClasses.Draw([0, 1, 2, 2], 4, 100, new Random(1));
        Assert.Equal(3, wrong.Length);
        for (int i = 0; i < 4; i++)
        {
            int[] mine = wrong.Select(w => w[i]).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, 4).Where(c => c != new[] { 0, 1, 2, 2 }[i]), mine);
        }
        Assert.Single(WrongClasses.Draw([0, 1], 4, 1, new Random(1)));
    }

    [Fact]
    public void LabelBlockAppendsOneHotOrUniformColumns()
    {
        var x = CsrMatrix.FromDense(3, 2, [1, 0, 0, 2, 0, 0]);
        CsrMatrix y = LabelBlock.Append(x, 3, i => i == 0 ? 2 : i == 1 ? -1 : 0);
        Assert.Equal(new float[] { 1, 0, 0, 0, 1, 0, 2, 1f / 3, 1f / 3, 1f / 3, 0, 0, 1, 0, 0 }, y.ToDense());
    }
}
