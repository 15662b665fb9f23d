using System.Diagnostics;
using ForwardGnn.Engine;
using ForwardGnn.Layers;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// SF-Top-To-Loss (spec §4.5): layers g_ℓ(z) = ReLU(conv_ℓ(z)) without internal LN, all trained at every time step
/// from the previous step's states (Jacobi style). Layer ℓ's loss is the SF loss of the element-wise mean of its
/// raw output and the L2-normalised states of the layers above it; each layer's gradient norm is clipped to 1.
/// States start from a bottom-up pass that chains raw activations from the raw features. Early stopping watches
/// the whole model. Depth is fixed per run (no per-depth results).
/// </summary>
public sealed class SfTopToLossAlgorithm : ILearningAlgorithm
{
    public const double MaxGradNorm = 1.0;

    public string Name => "sf-t2l";

    public bool Supports(TaskKind task) => task == TaskKind.Node;

    public RunResult Run(RunContext c)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);
        using var layers = new LocalLayers(c.Config, c.Data.NumFeatures, normalizeInput: false);
        using var setup = new SingleForwardGraph(c);
        using var model = new WholeModel(layers.Select(l => l.Conv));
        Tensor raw = SparseFeatures.Create(setup.Augmenter.Features, c.Device);
        Tensor normalized = setup.NormalizedFeatures();
        int depth = layers.Count;

        // s[0] = LN(X_aug); u = X_aug; u = g_ℓ(u), s[ℓ] = LN(u).
        Tensor[] BottomUp()
        {
            using var _ = no_grad();
            var s = new Tensor[depth + 1];
            s[0] = normalized;
            Tensor u = raw;
            for (int l = 1; l <= depth; l++) s[l] = RowNorm.Apply(u = layers[l - 1].Forward(u, setup.Graph, normalized: true));
            return s;
        }
        Tensor Merge(Tensor z, Tensor[] s, int l) => l == depth ? z : stack([z, .. s[(l + 1)..]]).mean([0]);

        double Predict(Tensor subset, Tensor labels)
        {
            using var _ = no_grad();
            using var inner = NewDisposeScope();
            Tensor[] s = BottomUp();
            var probabilities = new Tensor[depth + 1];
            LayerParallel.For(1, depth + 1, l =>
            {
                using var __ = no_grad();   // grad mode is per thread
                probabilities[l] = setup.Probabilities(Merge(layers[l - 1].Forward(s[l - 1], setup.Graph, normalized: true), s, l), subset)
                    .DetachFromDisposeScope();
            });
            Tensor votes = zeros(subset.shape[0], setup.Nodes.NumClasses, device: c.Device);
            for (int l = 1; l <= depth; l++)
            {
                votes = votes.add(probabilities[l]);
                probabilities[l].Dispose();
            }
            return SingleForwardGraph.Accuracy(votes, labels);
        }

        Tensor[] states = BottomUp().Select(t => t.DetachFromDisposeScope()).ToArray();
        // Every layer's update reads only the previous step's states, so the layers update side by side.
        float Step()
        {
            var next = new Tensor[depth + 1];
            var losses = new float[depth + 1];
            next[0] = states[0];
            LayerParallel.For(1, depth + 1, l =>
            {
                Tensor z = null!;
                losses[l] = layers[l - 1].Step(() => setup.Loss(Merge(z = layers[l - 1].Forward(states[l - 1], setup.Graph, normalized: true), states, l)), MaxGradNorm);
                next[l] = RowNorm.Apply(z.detach()).DetachFromDisposeScope();
            });
            for (int l = 1; l <= depth; l++) states[l].Dispose();
            states = next;
            float total = 0;
            for (int l = 1; l <= depth; l++) total += losses[l];
            return total / depth;
        }

        (int steps, _) = TrainingSchedule.Train(c, 0, model, Step,
            () => Predict(setup.Nodes.Val, setup.Nodes.ValLabels), clock);
        double val = Predict(setup.Nodes.Val, setup.Nodes.ValLabels);
        double test = Predict(setup.Nodes.Test, setup.Nodes.TestLabels);
        for (int l = 1; l <= depth; l++) states[l].Dispose();
        return new RunResult(c.Split, c.Seed, test, val, steps, clock.Elapsed.TotalSeconds);
    }
}
