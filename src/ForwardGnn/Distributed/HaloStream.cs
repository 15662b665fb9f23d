using ForwardGnn.Layers;
using static TorchSharp.torch;

namespace ForwardGnn.Distributed;

/// <summary>
/// The fixed layer inputs of greedy layer-wise GCN training on one rank's part of a graph (<see cref="PartitionView"/>).
/// Layer 1's input is read from the data itself (own, halo and replicated rows of the features: nothing is sent). A
/// layer aggregates its input once, A = Â·LN(input) for the own rows [own + replicated, d_in], the replicated rows'
/// partial sums completed by one all-reduce; after every layer but the last, its output rows [own + replicated, d]
/// become the next input [own + halo + replicated, d] through one halo exchange. The top layer's output is never
/// exchanged: nothing reads its halo.
/// </summary>
internal sealed class HaloStream : IDisposable
{
    private readonly PartitionView _view;
    private readonly ICommunicator _ranks;
    private readonly int _layers;
    private Tensor? _input;
    private bool _inputNormalized;

    /// <param name="view">The rank's part of the graph the stream propagates over.</param>
    /// <param name="ranks">The ranks of the job.</param>
    /// <param name="firstInput">Layer 1's input rows [own + halo + replicated, F], already row-normalised; the stream owns
    /// it. Null where the caller computes layer 1 itself: the stream starts with layer 2's input (<see cref="Advance"/>).</param>
    /// <param name="layers">The number of layers L (the L-th layer's output is not exchanged).</param>
    public HaloStream(PartitionView view, ICommunicator ranks, Tensor? firstInput, int layers)
    {
        _view = view;
        _ranks = ranks;
        _layers = layers;
        _input = firstInput;
        _inputNormalized = true;
    }

    /// <summary>
    /// The current layer's aggregated input Â·LN(input): [own + replicated, d_in], complete on every rank. Frees the
    /// input (a layer aggregates its fixed input once).
    /// </summary>
    public Tensor Aggregate()
    {
        Tensor input = _input ?? throw new InvalidOperationException("the stream's input was already aggregated");
        using var _ = no_grad();
        Tensor aggregated;
        using (var scope = NewDisposeScope())   // LN's and the product's intermediates are [rows, d] each
            aggregated = _view.Aggregate(_inputNormalized ? input : RowNorm.Apply(input)).MoveToOuterDisposeScope();
        input.Dispose();
        _input = null;
        if (_view.Replicated > 0)
        {
            Tensor replicated = aggregated.narrow(0, _view.Own.Length, _view.Replicated);   // the last rows: contiguous, reduced in place
            _ranks.AllReduceSum(replicated, "class-sums");
        }
        return aggregated;
    }

    /// <summary>
    /// Makes layer <paramref name="layer"/>'s (0-based) output rows [own + replicated, d] the next layer's input: one halo
    /// exchange, none after the last layer. The caller keeps <paramref name="output"/>.
    /// </summary>
    public void Advance(Tensor output, int layer)
    {
        if (layer >= _layers - 1) return;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        _input?.Dispose();   // an input never aggregated
        _input = _view.WithHalo(output, _ranks).MoveToOuterDisposeScope();
        _inputNormalized = false;
    }

    public void Dispose() => _input?.Dispose();
}
