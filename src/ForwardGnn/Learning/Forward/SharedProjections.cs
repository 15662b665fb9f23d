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
    private readonly GraphConv _conv;
    private readonly HashSet<Tensor> _shared = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, (bool Normalized, Tensor Projection)> _byInput = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// How many GEMM multiply-adds one CSR multiply-add costs here (memory-bound gathers against MKL's blocked kernel).
    /// A layer that caches aggregates (GCN/SAGE) spends one GEMM of the input per stream and step; sharing spends one
    /// sparse product of the projection per stream instead, so it pays when N · width &gt; ratio · edges. Measured on
    /// FF-VN-GCN: Amazon-Photo's layer 2 (N · width / edges ≈ 4) is faster cached, Cora_ML's layer 2 (≈ 20) and
    /// Photo's layer 1 (≈ 23) are faster shared.
    /// </summary>
    public const double CsrToGemmCostRatio = 8;

    /// <param name="streams">The streams this pass runs. An input is shared when two or more of them start from it and,
    /// for a layer that would otherwise use its cached aggregates, sharing is the cheaper path.</param>
    /// <param name="layer">The layer whose conv projects the inputs.</param>
    public SharedProjections(LocalLayer layer, IEnumerable<FeedStream> streams) : this(layer.Conv, layer.CacheFixedInputs, streams)
    {
    }

    /// <summary>
    /// The projections of <paramref name="conv"/>, shared by the rule of a layer that does or does not cache its fixed
    /// inputs' aggregates (<paramref name="cacheFixedInputs"/>). Without caching, every input that two or more streams
    /// start from is shared (a trained model's inference asks for that where its run shared).
    /// </summary>
    internal SharedProjections(GraphConv conv, bool cacheFixedInputs, IEnumerable<FeedStream> streams)
    {
        _conv = conv;
        var sharers = new Dictionary<Tensor, List<FeedStream>>(ReferenceEqualityComparer.Instance);
        foreach (FeedStream stream in streams)
        {
            if (!sharers.TryGetValue(stream.Input, out var list)) sharers[stream.Input] = list = [];
            list.Add(stream);
        }
        foreach ((Tensor input, List<FeedStream> list) in sharers)
            if (list.Count >= 2 && (!cacheFixedInputs || input.is_sparse
                    || input.shape[0] * input.shape[1] > CsrToGemmCostRatio * list.Average(s => (double)s.Graph.Edges.Count)))
                _shared.Add(input);
    }

    /// <summary>Whether two or more of the streams start from <paramref name="input"/>.</summary>
    public bool IsShared(Tensor input) => _shared.Contains(input);

    /// <summary>
    /// The projection of LN(input) (of the input itself when <paramref name="normalized"/>), [N, projected width]; for a
    /// column block [input ‖ …] starting at column 0, that block's share of the projection.
    /// </summary>
    public Tensor Of(Tensor input, bool normalized)
    {
        if (_byInput.TryGetValue(input, out var entry))
            return entry.Normalized == normalized ? entry.Projection
                : throw new InvalidOperationException("a shared input was asked for both as it is and normalised");
        Tensor x = input.requires_grad ? input.detach() : input;
        // Held here, not by the caller's dispose scope: the next stream may ask for it after that scope ends.
        using var scope = NewDisposeScope();
        Tensor projection = _conv.BlockProjection(normalized ? x : RowNorm.Apply(x), 0).DetachFromDisposeScope();
        _byInput[input] = (normalized, projection);
        return projection;
    }

    public void Dispose()
    {
        foreach (var entry in _byInput.Values) entry.Projection.Dispose();
        _byInput.Clear();
    }
}
