using ForwardGnn.Data;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// Label appending (spec §3.6): [X ‖ P] where row i of P [N, C] is onehot(label) for nodes given a label and the
/// uniform vector 1/C for the others.
/// </summary>
public static class LabelBlock
{
    /// <param name="labelOf">The class to one-hot encode for node i, or −1 for the uniform vector.</param>
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
}
