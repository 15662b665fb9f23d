using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// One input flowing through the frozen layers of a forward-forward model: the activation entering the next layer,
/// the graph it is propagated on, and (for evaluation candidates) the goodness accumulated by the frozen layers.
/// Layer 1's input is pre-normalised features (<see cref="Normalized"/>), either whole or as column blocks
/// [<see cref="Input"/> ‖ <see cref="Own"/>] whose first block other streams share (<see cref="SharedProjections"/>).
/// </summary>
internal sealed class FeedStream
{
    public FeedStream(Tensor input, GraphTensors graph)
    {
        Input = input;
        Graph = graph;
    }

    /// <summary>Layer 1's input [shared ‖ own]: <paramref name="shared"/> [N, F] (dense or sparse) may be the
    /// first block of other streams too; <paramref name="own"/> [N, C] is this stream's alone.</summary>
    public FeedStream(Tensor shared, Tensor own, GraphTensors graph) : this(shared, graph) => Own = own;

    public Tensor Input { get; private set; }
    public Tensor? Own { get; private set; }
    public GraphTensors Graph { get; }
    public bool Normalized { get; private set; } = true;
    public Tensor? Score { get; private set; }

    /// <summary>The layer's output for this stream. An input that other streams share (and a block input's shared
    /// block) is projected once through <paramref name="shared"/>; any other goes through the layer's own path.</summary>
    public Tensor Forward(LocalLayer layer, SharedProjections? shared = null) =>
        Projected(layer.Conv, layer.NormalizeInput, shared) ?? layer.Forward(Input, Graph, Normalized);

    /// <summary>
    /// A trained conv's output for this stream, computed as <see cref="Forward"/> computes it on the (normalising) layer
    /// that trained the conv, with the same projections shared: the same operations in the same order, so the same bits.
    /// </summary>
    internal Tensor Infer(GraphConv conv, SharedProjections? shared) =>
        Projected(conv, normalizeInput: true, shared) ?? LocalLayer.Infer(conv, Input, Graph, Normalized);

    /// <summary>The output from a projection of the input (a block input, or one that <paramref name="shared"/> shares); null otherwise.</summary>
    private Tensor? Projected(GraphConv conv, bool normalizeInput, SharedProjections? shared)
    {
        if (Own is not null)
        {
            Tensor features = shared?.Of(Input, normalized: true) ?? conv.BlockProjection(Input, 0);
            return LocalLayer.ForwardFromProjection(conv, features, Own, Input.shape[1], Graph);
        }
        if (shared is not null && shared.IsShared(Input))
            return LocalLayer.ForwardFromProjection(conv, shared.Of(Input, Normalized || !normalizeInput), null, 0, Graph);
        return null;
    }

    /// <summary>Runs a finished layer and makes its output the next input, adding its goodness mean a² − θ to <see cref="Score"/>
    /// when <paramref name="accumulateScore"/>.</summary>
    public Tensor Advance(LocalLayer layer, bool accumulateScore, SharedProjections? shared = null, double theta = Goodness.Theta) =>
        Advance(() => Forward(layer, shared), accumulateScore, theta);

    /// <summary>Runs a trained conv (<see cref="Infer"/>) and makes its output the next input, adding its goodness to
    /// <see cref="Score"/> when <paramref name="accumulateScore"/>.</summary>
    internal Tensor Advance(GraphConv conv, bool accumulateScore, SharedProjections? shared, double theta = Goodness.Theta) =>
        Advance(() => Infer(conv, shared), accumulateScore, theta);

    private Tensor Advance(Func<Tensor> forward, bool accumulateScore, double theta)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();   // the conv's intermediates are [N, d] each
        Tensor output = forward().MoveToOuterDisposeScope();
        if (accumulateScore)
        {
            Tensor? previous = Score;
            Score = (previous is null ? Goodness.Score(output, theta) : previous.add(Goodness.Score(output, theta), One)).MoveToOuterDisposeScope();
            previous?.Dispose();
        }
        Follow(output);
        return output;
    }

    /// <summary>Continues from <paramref name="activation"/> (FF-VN negatives follow the positive stream).</summary>
    public void Follow(Tensor activation)
    {
        // The previous layer output is read by nothing else once every stream has moved past it (streams sharing it,
        // as FF-VN's negatives share the positive's, dispose it again harmlessly). Layer 1's features may be shared
        // by several streams and are kept; a stream's own block is not.
        if (!Normalized && !ReferenceEquals(Input, activation)) Input.Dispose();
        Own?.Dispose();
        Own = null;
        Input = activation;
        Normalized = false;
    }
}
