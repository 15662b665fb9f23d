using ForwardGnn.Data;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// Label appending (spec §3.6): [X ‖ P] where row i of P [N, C] is onehot(label) for nodes given a label and the
/// uniform vector 1/C for the others.
/// </summary>
internal static class LabelBlock
{
    /// <param name="labelOf">The class to one-hot encode for node i, or −1 for the uniform vector.</param>
    /// <param name="x">Node features X [N, F].</param>
    /// <param name="numClasses">Number of classes C, the width of P.</param>
    public static CsrMatrix Append(CsrMatrix x, int numClasses, Func<int, int> labelOf)
    {
        var pointer = new int[x.Rows + 1];
        var index = new List<int>(x.StoredCount + x.Rows * numClasses);
        var values = new List<float>(index.Capacity);
        for (int r = 0; r < x.Rows; r++)
        {
            for (int k = x.RowPointer[r]; k < x.RowPointer[r + 1]; k++)
            {
                index.Add(x.ColumnIndex[k]);
                values.Add(x.Values[k]);
            }
            int label = labelOf(r);
            if (label >= 0)
            {
                index.Add(x.Columns + label);
                values.Add(1f);
            }
            else
            {
                for (int c = 0; c < numClasses; c++)
                {
                    index.Add(x.Columns + c);
                    values.Add(1f / numClasses);
                }
            }
            pointer[r + 1] = values.Count;
        }
        return new CsrMatrix(x.Rows, x.Columns + numClasses, pointer, index.ToArray(), values.ToArray());
    }

    /// <summary>
    /// The row scales D of LN([X ‖ P]) = D [X ‖ P] without building [X ‖ P]: D_i = 1 / (‖[x_i ‖ p_i]‖₂ + 1e−8), where
    /// ‖p_i‖² is 1 for a one-hot row and 1/C for a uniform one. Label blocks that give labels to the same nodes have
    /// the same D, so their streams share D X (<see cref="SharedProjections"/>).
    /// </summary>
    public static double[] NormalizedRowScales(CsrMatrix x, int numClasses, Func<int, int> labelOf)
    {
        double uniform = 1f / numClasses;
        var scales = new double[x.Rows];
        for (int r = 0; r < x.Rows; r++)
        {
            double sum = labelOf(r) >= 0 ? 1 : numClasses * uniform * uniform;
            for (int k = x.RowPointer[r]; k < x.RowPointer[r + 1]; k++) sum += (double)x.Values[k] * x.Values[k];
            scales[r] = 1.0 / (Math.Sqrt(sum) + Layers.RowNorm.Epsilon);
        }
        return scales;
    }

    /// <summary>D P, the label block of LN([X ‖ P]), row-major [N, C], for the row scales D of
    /// <see cref="NormalizedRowScales"/>.</summary>
    public static float[] Normalized(int rows, int numClasses, Func<int, int> labelOf, double[] scales)
    {
        var block = new float[(long)rows * numClasses];
        for (int r = 0; r < rows; r++)
        {
            int label = labelOf(r);
            if (label >= 0) block[(long)r * numClasses + label] = (float)scales[r];
            else block.AsSpan((int)((long)r * numClasses), numClasses).Fill((float)(1f / numClasses * scales[r]));
        }
        return block;
    }
}
