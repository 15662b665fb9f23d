using ForwardGnn.Graphs;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// One input flowing through the frozen layers of a forward-forward model: the activation entering the next layer,
/// the graph it is propagated on, and (for evaluation candidates) the goodness accumulated by the frozen layers.
/// Layer 1's input is pre-normalised sparse features (<see cref="Normalized"/>).
/// </summary>
internal sealed class FeedStream(Tensor input, GraphTensors graph)
{
    public Tensor Input { get; private set; } = input;
    public GraphTensors Graph { get; } = graph;
    public bool Normalized { get; private set; } = true;
    public Tensor? Score { get; private set; }

    public Tensor Forward(LocalLayer layer) => layer.Forward(Input, Graph, Normalized);

    /// <summary>Runs a finished layer and makes its output the next input, adding its goodness to <see cref="Score"/>.</summary>
    public Tensor Advance(LocalLayer layer, bool accumulateScore)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();   // the conv's intermediates are [N, d] each
        Tensor output = Forward(layer).MoveToOuterDisposeScope();
        if (accumulateScore)
        {
            Tensor? previous = Score;
            Score = (previous is null ? Goodness.Score(output) : previous.add(Goodness.Score(output))).MoveToOuterDisposeScope();
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
        // by several streams and are kept.
        if (!Normalized && !ReferenceEquals(Input, activation)) Input.Dispose();
        Input = activation;
        Normalized = false;
    }
}
