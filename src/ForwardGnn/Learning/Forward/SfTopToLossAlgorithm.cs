using System.Diagnostics;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Models;
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
internal sealed class SfTopToLossAlgorithm : ILearningAlgorithm, IModelRestorer
{
    /// <summary>Validate on a copy of the parameters beside the next step (the default), or before it.</summary>
    internal bool ValidateBesideSteps { get; init; } = true;

    public string Name => "sf-t2l";

    public bool Supports(TaskKind task) => task == TaskKind.Node;

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => TopToLossModel.Restore(card, weights);

    public RunResult Run(RunContext c)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);
        using var layers = new LocalLayers(c.Config, c.Data.NumFeatures, normalizeInput: false);
        using var setup = new SingleForwardGraph(c);
        using var model = new WholeModel(layers.Select(l => l.Conv));
        // The copy validation reads while the next step updates the model. Built last: nothing draws from the
        // random stream after it, and its initial values are overwritten before every use.
        GraphConv[] copies = layers.Select(l => GnnLayers.Create(c.Config.Gnn, l.Conv.InChannels, l.Conv.OutChannels)).ToArray();
        using var copy = new WholeModel(copies, ownsLayers: true);
        Tensor raw = FeatureTensor.From(setup.Augmenter.Features, c.Device);
        Tensor normalized = setup.NormalizedFeatures();
        GraphTensors graph = setup.Graph;
        NodeSets nodes = setup.Nodes;
        int depth = layers.Count;
        var sweep = new TopToLossSweep(layers.Select(l => l.Conv).ToArray(), setup, raw, normalized);
        var copySweep = new TopToLossSweep(copies, setup, raw, normalized);

        var trainRows = ScoredRows.Of(nodes.Train, nodes.Virtual, setup.Temperature);
        Tensor[] states = sweep.Run().States;
        for (int l = 1; l <= depth; l++) states[l].DetachFromDisposeScope();   // replaced step by step; s₀ stays the run's
        // s_k[R], the scored rows of each state, gathered where the state is made: the merges read only these.
        Tensor[] scoredStates = states.Select((s, k) => k == 0 ? s : s.index_select(0, trainRows.All).DetachFromDisposeScope()).ToArray();   // s₀[R] is never read
        // Every layer's update reads only the previous step's states, so the layers update side by side, and so
        // can a validation that reads its own copy of the parameters.
        var gcnStep = new TopToLossGcnStep(graph, trainRows, setup.TrainLabelValues);
        bool WrittenOut(int l) => !c.AutogradOnly && TopToLossGcnStep.Applies(layers[l - 1], states[l - 1]);
        // Layer 1 on sparse features: W₁ laid out transposed while it trains (no transposing copies), back before it leaves.
        GcnConv? sparseFirst = WrittenOut(1) && states[0].is_sparse ? (GcnConv)layers[0].Conv : null;
        if (sparseFirst is not null)
        {
            ParameterLayout.Set(sparseFirst.Weight, transposed: true);
            ParameterLayout.Set(((GcnConv)copies[0]).Weight, transposed: true);   // each check's copy of W₁ is then one block copy, not a transposing one
        }
        SparseOperator? firstFeatures = sparseFirst is null ? null : SparseFeatures.OperatorOf(states[0]);
        int firstSplit = firstFeatures?.MiddleRow ?? 0;
        Tensor? firstForValidation = null;
        void DisposeStates()   // s_1 … s_L and their scored rows (the top layer's state is its scored rows)
        {
            for (int l = 1; l <= depth; l++)
            {
                if (!ReferenceEquals(scoredStates[l], states[l])) scoredStates[l].Dispose();
                states[l].Dispose();
            }
        }

        float[] Step(Action? beside)
        {
            using var stepScope = NewDisposeScope();
            var next = new Tensor[depth + 1];
            var nextScored = new Tensor[depth + 1];
            var losses = new float[depth];
            next[0] = states[0];
            // With sparse features, P = LN(X_aug) W₁ᵀ is made first, in two halves of its rows side by side; layer 1's
            // step and the validation (whose copy holds the same W₁) both start from it. Then the validation, then the
            // layers, layer 2 before layer 1 so that a thread rarely waits for P. Each layer sums the states above it
            // itself (a_ℓ, in its merge's pass on the written-out path), so nothing runs before the items.
            int halves = firstFeatures is null ? 0 : 2;
            int[] layerOrder = depth >= 2 ? [2, 1, .. Enumerable.Range(3, depth - 2)] : [1];
            int[] order = [.. Enumerable.Range(-halves, halves), .. (beside is null ? Array.Empty<int>() : [0]), .. layerOrder];
            Tensor? first = firstFeatures is null ? null : empty(states[0].shape[0], sparseFirst!.OutChannels);
            firstForValidation = first;
            using var firstReady = new CountdownEvent(halves);
            LayerParallel.For(0, order.Length, i =>
            {
                int l = order[i];
                if (l < 0)
                {
                    try
                    {
                        using (no_grad())
                            firstFeatures!.ProductInto(sparseFirst!.Weight.t(), first!, l == -2 ? 0 : firstSplit, l == -2 ? firstSplit : (int)first!.shape[0]);
                    }
                    finally { firstReady.Signal(); }
                    return;
                }
                if (l <= 1) firstReady.Wait();
                if (l == 0)
                {
                    beside!();
                    return;
                }
                Tensor z = null!;
                LocalLayer layer = layers[l - 1];
                int merges = depth - l + 1;
                losses[l - 1] = WrittenOut(l)
                    ? layer.StepWith(() =>
                    {
                        (float loss, z) = gcnStep.SetGradients((GcnConv)layer.Conv, states[l - 1], scoredStates[(l + 1)..], l == 1 ? first : null);
                        return loss;
                    }, c.Config.Forward.GradMaxNorm)
                    : layer.Step(() => nn.functional.cross_entropy(trainRows.Scores(TopToLossSweep.Merged(
                        (z = layer.Forward(states[l - 1], graph, normalized: true)).index_select(0, trainRows.All),
                        TopToLossSweep.SumAbove(l, depth, k => scoredStates[k]), merges)), nodes.TrainLabels), c.Config.Forward.GradMaxNorm);
                next[l] = (RowKernels.CanRead(z) ? RowKernels.Normalized(z.detach()) : RowNorm.Apply(z.detach())).DetachFromDisposeScope();
                // The written-out top layer makes only the scored rows (no layer reads the rest of s_L).
                nextScored[l] = l == depth && WrittenOut(l) ? next[l] : next[l].index_select(0, trainRows.All).DetachFromDisposeScope();
            });
            firstForValidation = null;
            DisposeStates();
            (states, scoredStates) = (next, nextScored);
            return losses;
        }

        (int steps, _) = ValidateBesideSteps
            ? TrainingSchedule.TrainValidatingBeside(c, model, copy, Step, () => copySweep.Accuracy(nodes.Val, nodes.ValLabels, firstForValidation), clock)
            : TrainingSchedule.Train(c, model, () => Step(null), () => sweep.Accuracy(nodes.Val, nodes.ValLabels), clock);
        if (sparseFirst is not null) ParameterLayout.Set(sparseFirst.Weight, transposed: false);
        double val = sweep.Accuracy(nodes.Val, nodes.ValLabels);
        double test = sweep.Accuracy(nodes.Test, nodes.TestLabels);
        DisposeStates();
        // The layers hold the restored best parameters (the copy only ever served validation).
        var result = new RunResult(c.Split, c.Seed, test, val, steps, clock.Elapsed.TotalSeconds);
        return c.Deliver(result, new TopToLossModel(c.Card(Name) with
        {
            Options = new Dictionary<string, double> { ["temperature"] = setup.Temperature },
        }, layers.Select(l => l.TakeConv()).ToArray(), setup.Augmenter.ClassFeatures));
    }
}
