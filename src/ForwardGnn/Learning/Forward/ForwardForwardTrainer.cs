using System.Diagnostics;
using ForwardGnn.Training;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// The greedy forward-forward schedule shared by FF-LA, FF-VN and FF-SymBa (spec §4.2–4.3, §11.2). Layer ℓ minimises
/// a local loss of the positive and negative streams at the training nodes: for FF, BCE(Σa² − θ, 1) on the positive
/// stream plus the mean over negative streams of BCE(Σa² − θ, 0). A node's prediction is the candidate class whose stream has the largest summed goodness
/// Σ_k (mean a_k² − θ); frozen layers' goodness is kept, so validating layer ℓ runs layer ℓ only.
/// </summary>
internal sealed class ForwardForwardTrainer(RunContext c, IReadOnlyList<LocalLayer> layers, NodeSets nodes)
{
    /// <summary>
    /// Whether the test candidates' layer-1 outputs that the reported test accuracy reads were computed from one shared
    /// projection of their common input (<see cref="SharedProjections"/>) rather than by each stream's own path; set by
    /// <see cref="Run"/> (the choice depends on the streams of that pass: the candidates alone for a one-layer model,
    /// every stream's freezing pass otherwise). A trained model's prediction takes the same path.
    /// </summary>
    /// <summary>θ of the goodness the layers are trained and scored with.</summary>
    public double Theta => c.Config.Forward.Theta;

    public bool TestInputProjectedOnce { get; private set; }

    /// <param name="loss">The layer's loss from the positive output, the negative outputs and the training nodes.</param>
    /// <param name="negativesFollowPositive">FF-VN: after each layer the negatives continue from the positive
    /// stream's output (only their graphs differ); FF-LA: every negative keeps its own stream.</param>
    /// <param name="positive">The stream of the positive (true-label) input.</param>
    /// <param name="negatives">The streams of the negative inputs.</param>
    /// <param name="valCandidates">One stream per class for the validation nodes; the best goodness wins.</param>
    /// <param name="testCandidates">One stream per class for the test nodes.</param>
    /// <param name="clock">The run's clock, started before data preparation.</param>
    public RunResult Run(ForwardForwardLoss loss, FeedStream positive, IReadOnlyList<FeedStream> negatives, bool negativesFollowPositive,
        IReadOnlyList<FeedStream> valCandidates, IReadOnlyList<FeedStream> testCandidates, Stopwatch clock)
    {
        return LayerWise.Run(c, layers.Count, clock, l =>
        {
            LocalLayer layer = layers[l];
            Tensor Loss()
            {
                using var shared = new SharedProjections(layer, [positive, .. negatives]);
                return loss(positive.Forward(layer, shared), negatives.Select(n => n.Forward(layer, shared)).ToArray(), nodes.Train, Theta);
            }
            (int epochs, _) = TrainingSchedule.Train(c, l + 1, layer.Conv, () => layer.Step(Loss),
                () => Accuracy(layer, valCandidates, nodes.Val, nodes.ValLabels), clock);

            double val = Accuracy(layer, valCandidates, nodes.Val, nodes.ValLabels);
            double test = Accuracy(layer, testCandidates, nodes.Test, nodes.TestLabels);

            if (l == 0 && testCandidates.Count > 0)
            {
                // Building the projections computes nothing: only which inputs the pass would share.
                using var probe = new SharedProjections(layer, layers.Count == 1 ? testCandidates : [positive, .. negatives, .. valCandidates, .. testCandidates]);
                TestInputProjectedOnce = probe.IsShared(testCandidates[0].Input);
            }
            using (var shared = new SharedProjections(layer, [positive, .. negatives, .. valCandidates, .. testCandidates]))
            {
                Tensor output = positive.Advance(layer, accumulateScore: false, shared);
                foreach (FeedStream negative in negatives)
                    if (negativesFollowPositive) negative.Follow(output);
                    else negative.Advance(layer, accumulateScore: false, shared);
                foreach (FeedStream candidate in valCandidates.Concat(testCandidates)) candidate.Advance(layer, accumulateScore: true, shared, Theta);
            }
            layer.ClearCache();
            return new LayerOutcome(test, val, epochs);
        });
    }

    /// <summary>Accuracy (%) at <paramref name="subset"/> of argmax over candidate classes of the summed goodness.</summary>
    private double Accuracy(LocalLayer layer, IReadOnlyList<FeedStream> candidates, Tensor subset, Tensor labels)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var shared = new SharedProjections(layer, candidates);
        Tensor[] scores = candidates.Select(s =>
        {
            Tensor score = Goodness.Score(s.Forward(layer, shared), Theta);
            if (s.Score is { } frozen) score = score.add(frozen, One);
            return score.index_select(0, subset);
        }).ToArray();
        Tensor predicted = stack(scores, 1).argmax(1);
        return Metrics.Accuracy(predicted.cpu().data<long>().ToArray(), labels.cpu().data<long>().ToArray());
    }
}
