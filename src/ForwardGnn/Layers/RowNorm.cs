using ForwardGnn.Data;
using ForwardGnn.Engine;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Layers;

/// <summary>
/// Row-wise L2 normalisation, the parameter-free "layer normalisation" of ForwardGNN (not LayerNorm):
/// LN(z)_i = z_i / (‖z_i‖₂ + 1e−8). Shapes: [N, d] → [N, d].
/// </summary>
internal static class RowNorm
{
    public const double Epsilon = 1e-8;

    public static Tensor Apply(Tensor z) => z.div(z.norm(1, keepdim: true, p: 2).add(HeldScalars.Of(Epsilon), One));

    /// <summary>The row scales 1 / (‖z_i‖₂ + 1e−8) [N, 1] of LN(z) = z ⊙ scales.</summary>
    public static Tensor Scales(Tensor z) => z.norm(1, keepdim: true, p: 2).add(HeldScalars.Of(Epsilon), One).reciprocal();

    /// <summary>The row scales of a CSR matrix, [Rows] (the factors <see cref="Apply(CsrMatrix)"/> multiplies by).</summary>
    public static float[] Scales(CsrMatrix x) => RowScales(x).Select(s => (float)s).ToArray();

    /// <summary>The same on a CSR matrix (zeros stay zero, so the result keeps the sparsity).</summary>
    public static CsrMatrix Apply(CsrMatrix x) => ScaleRows(x, RowScales(x));

    /// <summary>diag(<paramref name="scales"/>) x for a CSR matrix x [Rows, Columns] and scales [Rows].</summary>
    public static CsrMatrix ScaleRows(CsrMatrix x, double[] scales)
    {
        var values = new float[x.StoredCount];
        for (int r = 0; r < x.Rows; r++)
            for (int k = x.RowPointer[r]; k < x.RowPointer[r + 1]; k++) values[k] = (float)(x.Values[k] * scales[r]);
        return new CsrMatrix(x.Rows, x.Columns, x.RowPointer, x.ColumnIndex, values);
    }

    private static double[] RowScales(CsrMatrix x)
    {
        var scales = new double[x.Rows];
        for (int r = 0; r < x.Rows; r++)
        {
            double sum = 0;
            for (int k = x.RowPointer[r]; k < x.RowPointer[r + 1]; k++) sum += (double)x.Values[k] * x.Values[k];
            scales[r] = 1.0 / (Math.Sqrt(sum) + Epsilon);
        }
        return scales;
    }
}
