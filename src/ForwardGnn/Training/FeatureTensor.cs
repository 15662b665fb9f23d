using ForwardGnn.Data;
using static TorchSharp.torch;

namespace ForwardGnn.Training;

/// <summary>Hands a CSR feature matrix to libtorch: sparse COO when sparse, dense otherwise.</summary>
internal static class FeatureTensor
{
    /// <summary>Density above which a dense tensor is cheaper than a sparse one.</summary>
    public const double DenseAbove = 0.25;

    public static Tensor From(CsrMatrix x, Device device)
    {
        if (x.Density > DenseAbove) return tensor(x.ToDense(), [x.Rows, x.Columns], device: device);
        return Layers.SparseFeatures.Create(x, device);
    }
}
