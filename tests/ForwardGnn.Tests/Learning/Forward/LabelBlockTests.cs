using ForwardGnn.Data;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;

namespace ForwardGnn.Tests.Learning.Forward;

public class LabelBlockTests
{
    [Fact]
    public void NormalizedBlocksAreTheColumnsOfTheNormalizedAppendedMatrix()
    {
        var x = new CsrMatrix(4, 3, [0, 2, 2, 3, 5], [0, 2, 1, 0, 1], [3, 4, 2, 1, -1]);
        Func<int, int> labelOf = i => i == 1 ? 2 : i == 3 ? 0 : -1;   // rows 0 and 2 get the uniform vector

        double[] scales = LabelBlock.NormalizedRowScales(x, 4, labelOf);
        float[] features = RowNorm.ScaleRows(x, scales).ToDense();
        float[] labels = LabelBlock.Normalized(4, 4, labelOf, scales);

        float[] whole = RowNorm.Apply(LabelBlock.Append(x, 4, labelOf)).ToDense();   // [4, 3 + 4]
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 3; c++) Assert.Equal(whole[r * 7 + c], features[r * 3 + c], 6);
            for (int c = 0; c < 4; c++) Assert.Equal(whole[r * 7 + 3 + c], labels[r * 4 + c], 6);
        }
        Assert.Equal(1 / (Math.Sqrt(25 + 0.25) + RowNorm.Epsilon), scales[0], 12);   // ‖[3, 0, 4]‖² + 4 · (1/4)²
        Assert.Equal(1 / (1 + RowNorm.Epsilon), scales[1], 12);                        // an empty row with a one-hot label
    }
}
