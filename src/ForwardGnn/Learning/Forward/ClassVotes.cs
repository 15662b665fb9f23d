using ForwardGnn.Training;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// The summed class probabilities of the frozen layers for the validation and test nodes, so evaluating layer ℓ
/// costs one forward of layer ℓ only: P_ℓ = P_{ℓ−1} + softmax(scores(Z_ℓ, Q)), e.g. SF's Z_ℓ[Q] · Z_ℓ[VN]ᵀ / τ.
/// </summary>
/// <param name="scores">Class scores [|Q|, C] of the nodes Q from a layer's output.</param>
/// <param name="nodes">The validation and test nodes Q whose votes are summed.</param>
internal sealed class ClassVotes(NodeSets nodes, Func<Tensor, Tensor, Tensor> scores)
{
    public Tensor Val { get; private set; } = zeros(nodes.Val.shape[0], nodes.NumClasses, device: nodes.Val.device);
    public Tensor Test { get; private set; } = zeros(nodes.Test.shape[0], nodes.NumClasses, device: nodes.Test.device);

    /// <summary>Accuracy (%) on <paramref name="subset"/> of the frozen layers' votes plus those of <paramref name="z"/>.</summary>
    public double Accuracy(Tensor z, Tensor subset, Tensor labels, Tensor frozenVotes)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return AccuracyOf(scores(z, subset), labels, frozenVotes);
    }

    /// <summary>Accuracy (%) of the frozen layers' votes plus softmax(<paramref name="scores"/>), scores [|Q|, C] of the current layer.</summary>
    public static double AccuracyOf(Tensor scores, Tensor labels, Tensor frozenVotes)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Tensor predicted = frozenVotes.add(scores.softmax(1), One).argmax(1);
        return Metrics.Accuracy(predicted.cpu().data<long>().ToArray(), labels.cpu().data<long>().ToArray());
    }

    /// <summary>How many of <paramref name="subset"/> the frozen layers' votes plus those of <paramref name="z"/> classify right.</summary>
    public int Correct(Tensor z, Tensor subset, Tensor labels, Tensor frozenVotes)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        if (subset.shape[0] == 0) return 0;
        return (int)frozenVotes.add(Probabilities(z, subset), One).argmax(1).eq(labels).sum().item<long>();
    }

    /// <summary>Freezes a finished layer's output into the votes.</summary>
    public void Add(Tensor z)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Tensor val = Val.add(Probabilities(z, nodes.Val), One).MoveToOuterDisposeScope();
        Tensor test = Test.add(Probabilities(z, nodes.Test), One).MoveToOuterDisposeScope();
        Val.Dispose();
        Test.Dispose();
        (Val, Test) = (val, test);
    }

    private Tensor Probabilities(Tensor z, Tensor subset) => scores(z, subset).softmax(1);
}
