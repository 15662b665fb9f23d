using ForwardGnn.Data;

namespace ForwardGnn.Tests.Data;

public class NormalizeFeaturesTests
{
    [Fact]
    public void DividesRowsByTheirSumButNeverScalesUp()
    {
        var x = CsrMatrix.FromDense(3, 3, [1, 1, 2, 0, 0, 0, 0.2f, 0.3f, 0]);
        float[] y = NormalizeFeatures.Apply(x).ToDense();
        Assert.Equal(new[] { 0.25f, 0.25f, 0.5f, 0, 0, 0, 0.2f, 0.3f, 0 }, y);
    }

    [Fact]
    public void ShiftsByTheGlobalMinimumFirst()
    {
        var x = CsrMatrix.FromDense(2, 2, [-1, 1, 0, 3]);
        float[] y = NormalizeFeatures.Apply(x).ToDense();
        // X − (−1) = [[0, 2], [1, 4]]; row sums 2 and 5.
        Assert.Equal(new[] { 0f, 1f, 0.2f, 0.8f }, y);
    }
}
