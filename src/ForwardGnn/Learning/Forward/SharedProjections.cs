using ForwardGnn.Layers;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// One layer's projection of an input that several streams share, computed once for the layer's current parameters
/// (one training step, one validation or the freezing pass) and reused by each of those streams, which then only
/// propagate it on their own graphs. FF-LA's label streams share their features block D X; FF-VN's streams share
/// the features [X ; V] and, in training, the positive stream's activations. Dispose it when the parameters are about
/// to change.
/// </summary>
internal sealed class SharedProjections : IDisposable
{
    private readonly LocalLayer _layer;
    private readonly HashSet<Tensor> _shared = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, Tensor> _byInput = new(ReferenceEqualityComparer.Instance);

    /// <param name="streams">The streams this pass runs; an input is shared when two or more of them start from it.</param>
    public SharedProjections(LocalLayer layer, IEnumerable<FeedStream> streams)
    {
        _layer = layer;
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (FeedStream stream in streams)
            if (!seen.Add(stream.Input)) _shared.Add(stream.Input);
    }

    /// <summary>Whether two or more of the streams start from <paramref name="input"/>.</summary>
    public bool IsShared(Tensor input) => _shared.Contains(input);

    /// <summary>
    /// The projection of LN(input) (of the input itself when <paramref name="normalized"/>), [N, projected width]; for a
    /// column block [input ‖ …] starting at column 0, that block's share of the projection.
    /// </summary>
    public Tensor Of(Tensor input, bool normalized)
    {
        if (!_byInput.TryGetValue(input, out Tensor? projection))
        {
            Tensor x = input.requires_grad ? input.detach() : input;
            // Held here, not by the caller's dispose scope: the next stream may ask for it after that scope ends.
            using var scope = NewDisposeScope();
            _byInput[input] = projection = _layer.Conv.BlockProjection(normalized ? x : RowNorm.Apply(x), 0).DetachFromDisposeScope();
        }
        return projection;
    }

    public void Dispose()
    {
        foreach (Tensor projection in _byInput.Values) projection.Dispose();
        _byInput.Clear();
    }
}
