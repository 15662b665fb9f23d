using ForwardGnn.Engine;
using ForwardGnn.Training;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Learning.Forward;

/// <summary>Evaluation pairs with the summed probabilities of the frozen layers: p_ℓ = mean over k ≤ ℓ of σ(score_k).</summary>
internal sealed class ScoredPairs(LinkPairs pairs)
{
    private Tensor? _frozenSum;
    private int _frozenLayers;

    public LinkPairs Pairs { get; } = pairs;

    public double RocAuc(Tensor probability)
    {
        using var _ = no_grad();
        Tensor sum = _frozenSum is null ? probability : _frozenSum.add(probability, One);
        return Pairs.RocAuc(sum.div(HeldScalars.Of(_frozenLayers + 1)));
    }

    /// <summary>Adds a finished layer's probabilities; returns the AUC of the model up to that layer.</summary>
    public double Freeze(Tensor probability)
    {
        double auc = RocAuc(probability);
        _frozenSum = _frozenSum is null ? probability : _frozenSum.add(probability, One);
        _frozenLayers++;
        return auc;
    }
}
