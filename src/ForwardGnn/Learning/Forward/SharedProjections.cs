using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// Layer 1's projection S W_Sᵀ of a column block S that several streams' inputs [S ‖ B_s] share, computed once for
/// the layer's current parameters (one training step, one validation or the freezing pass) and reused by every stream
/// that starts with S. FF-LA's label streams share S = D X, the row-normalised features. Dispose it when the
/// parameters are about to change.
/// </summary>
internal sealed class SharedProjections(LocalLayer layer) : IDisposable
{
    private readonly Dictionary<Tensor, Tensor> _byBlock = new(ReferenceEqualityComparer.Instance);

    /// <summary>S W_Sᵀ [N, projected width] for S [N, width] (dense or sparse) starting at column 0.</summary>
    public Tensor Of(Tensor shared)
    {
        if (!_byBlock.TryGetValue(shared, out Tensor? projection))
            // Held here, not by the caller's dispose scope: the next stream may ask for it after that scope ends.
            _byBlock[shared] = projection = layer.Conv.BlockProjection(shared, 0).DetachFromDisposeScope();
        return projection;
    }

    public void Dispose()
    {
        foreach (Tensor projection in _byBlock.Values) projection.Dispose();
        _byBlock.Clear();
    }
}
