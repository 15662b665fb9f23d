using ForwardGnn.Training;

namespace ForwardGnn.Tests.Training;

public class MetricsTests
{
    [Fact]
    public void AccuracyIsPercentCorrect() => Assert.Equal(75.0, Metrics.Accuracy([1, 2, 3, 4], [1, 2, 3, 0]));

    [Theory]
    [InlineData(new float[] { 0.9f, 0.8f, 0.2f, 0.1f }, new float[] { 1, 1, 0, 0 }, 100.0)]
    [InlineData(new float[] { 0.1f, 0.2f, 0.8f, 0.9f }, new float[] { 1, 1, 0, 0 }, 0.0)]
    [InlineData(new float[] { 0.5f, 0.5f, 0.5f, 0.5f }, new float[] { 1, 0, 1, 0 }, 50.0)]
    // Pairs (pos, neg): (0.8,0.4) win, (0.8,0.8) tie ½, (0.3,0.4) loss, (0.3,0.8) loss → 1.5 / 4.
    [InlineData(new float[] { 0.8f, 0.3f, 0.4f, 0.8f }, new float[] { 1, 1, 0, 0 }, 37.5)]
    // Hand count: positives 0.9, 0.6, 0.6; negatives 0.6, 0.1 → (2 + 1.5 + 1.5) / 6.
    [InlineData(new float[] { 0.9f, 0.6f, 0.6f, 0.6f, 0.1f }, new float[] { 1, 1, 1, 0, 0 }, 500.0 / 6)]
    public void RocAucCountsTiesAsHalf(float[] scores, float[] labels, double expected) =>
        Assert.Equal(expected, Metrics.RocAuc(scores, labels), 9);

    [Fact]
    public void RocAucNeedsBothClasses() => Assert.Throws<ArgumentException>(() => Metrics.RocAuc([0.1f, 0.2f], [1, 1]));

    [Fact]
    public void StdIsPopulationStd()
    {
        (double mean, double std) = Summary.MeanStd([1.0, 3.0]);
        Assert.Equal((2.0, 1.0), (mean, std));
    }
}
