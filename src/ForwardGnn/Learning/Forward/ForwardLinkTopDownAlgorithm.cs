using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// FL-CE-Top-To-Input (spec §5.3), the link-prediction analogue of SF-Top-To-Input: layer ℓ &lt; L sees
/// [LN(S_{ℓ−1}) ‖ LN(S_{ℓ+1})], the top layer LN(S_{L−1}) only (no label state). Every layer is trained at every time
/// step with BCE on ⟨z_u, z_v⟩ of the training pairs (Adam without weight decay), odd layers then even layers.
/// States come from a bottom-up pass on the graph being processed; prediction runs 10 steps on the split's own
/// graph and averages σ(⟨z_u, z_v⟩) over steps 2..9 and all layers. Early stopping watches the whole model.
/// </summary>
public sealed class ForwardLinkTopDownAlgorithm : ILearningAlgorithm
{
    public string Name => "fl-ce-t2i";

    public bool Supports(TaskKind task) => task == TaskKind.Link;

    /// <summary>Under fixed parameters, project layer 1's input LN(X) once per prediction (the default), or in every
    /// forward as the literal algorithm does.</summary>
    internal bool ProjectInputOnce { get; init; } = true;

    /// <summary>Called after each of a prediction's time steps (tests watch the live tensors there).</summary>
    internal Action<int>? PredictionStepDone { get; init; }

    public RunResult Run(RunContext c)
    {
        EdgeSplit split = c.EdgeSplit ?? throw new ArgumentException($"{Name} needs an edge split");
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);
        int depth = c.Config.Layers, hidden = c.Config.Hidden, features = c.Data.NumFeatures;
        int Width(int l) => (l == 1 ? features : hidden) + (l < depth ? hidden : 0);
        using var layers = new LocalLayers(Enumerable.Range(1, depth).Select(l => new LocalLayer(
            GnnLayers.Create(c.Config.Gnn, Width(l), hidden), c.Config.Lr, weightDecay: 0, normalizeInput: false)));
        using var model = new WholeModel(layers.Select(l => l.Conv));
        using var trainGraph = new GraphTensors(split.TrainGraph, c.Device);
        using var testGraph = new GraphTensors(split.TestGraph, c.Device);
        var train = LinkPairs.From(split.Train, c.Device);
        var val = LinkPairs.From(split.Val, c.Device);
        var test = LinkPairs.From(split.Test, c.Device);
        Tensor bottom = FeatureTensor.From(RowNorm.Apply(c.Data.Features), c.Device);

        Tensor Layer(int l, Tensor below, Tensor? above, GraphTensors graph) =>
            layers[l - 1].ForwardBlocks(l < depth ? [below, above!] : [below], graph);

        // Without gradient; above = null is the bottom-up pass's zero input (or the top layer's missing one). Layer 1's
        // projection of LN(X) is computed once per prediction (firstProjection): its 11 forwards share it.
        Tensor Infer(int l, Tensor below, Tensor? above, GraphTensors graph, Tensor? firstProjection)
        {
            if (!ProjectInputOnce) return Layer(l, below, l < depth ? above ?? zeros(graph.NumNodes, hidden, device: c.Device) : null, graph);
            LocalLayer layer = layers[l - 1];
            return layer.ForwardFromProjection(l == 1 && firstProjection is not null ? firstProjection : layer.Conv.BlockProjection(below, 0),
                above, below.shape[1], graph);
        }

        // Normalised states ns[0..L]; ns[L+1] is never read (the top layer has no state above).
        Tensor[] BottomUp(GraphTensors graph, Tensor? firstProjection = null)
        {
            using var _ = no_grad();
            var ns = new Tensor[depth + 2];
            ns[0] = bottom;
            for (int l = 1; l <= depth; l++)
            {
                using var layerScope = NewDisposeScope();
                ns[l] = RowNorm.Apply(Infer(l, ns[l - 1], null, graph, firstProjection)).MoveToOuterDisposeScope();
            }
            return ns;
        }

        float[] losses = [];   // the current training step's, one per layer: a fresh array per step, as the checks keep them
        Tensor[] TimeStep(Tensor[] ns, GraphTensors graph, bool learn, Action<Tensor>? observe, Tensor? firstProjection = null)
        {
            var next = new Tensor?[depth + 2];
            next[0] = ns[0];
            foreach (int[] group in SfTopToInputAlgorithm.Groups(depth, alternating: true))
                foreach (int l in group)
                {
                    using var layerScope = NewDisposeScope();   // frees the layer's intermediates (see SfTopToInputAlgorithm)
                    Tensor a = next[l - 1] ?? ns[l - 1];
                    Tensor? b = l < depth ? next[l + 1] ?? ns[l + 1] : null;
                    Tensor z = null!;
                    if (learn)
                        losses[l - 1] = layers[l - 1].Step(() => nn.functional.binary_cross_entropy_with_logits(
                            train.Scores(z = Layer(l, a, b, graph)), train.Labels));
                    else z = Infer(l, a, b, graph, firstProjection);
                    observe?.Invoke(z);
                    next[l] = RowNorm.Apply(z.detach()).MoveToOuterDisposeScope();
                }
            return next!;
        }

        double Predict(GraphTensors graph, LinkPairs pairs)
        {
            using var _ = no_grad();
            using var inner = NewDisposeScope();
            Tensor sum = zeros(pairs.Labels.shape[0], device: c.Device);
            int count = 0;
            Tensor? first = ProjectInputOnce ? layers[0].Conv.BlockProjection(bottom, 0) : null;
            Tensor[] ns = BottomUp(graph, first);
            for (int t = 0; t < SfTopToInputAlgorithm.TestTimeSteps; t++)
            {
                Tensor[] next = TimeStep(ns, graph, learn: false, t >= SfTopToInputAlgorithm.FirstStoredStep
                    ? z => { sum.add_(pairs.Scores(z).sigmoid(), One); count++; }
                    : null, first);
                for (int l = 1; l <= depth; l++) ns[l].Dispose();
                ns = next;
                PredictionStepDone?.Invoke(t);
            }
            return pairs.RocAuc(sum.div(HeldScalars.Of(count)));
        }

        Tensor[] states = BottomUp(trainGraph);
        for (int l = 1; l <= depth; l++) states[l].DetachFromDisposeScope();   // replaced step by step; ns[0] stays the run's
        float[] Step()
        {
            losses = new float[depth];
            Tensor[] next = TimeStep(states, trainGraph, learn: true, null);
            for (int l = 1; l <= depth; l++)
            {
                states[l].Dispose();
                states[l] = next[l].DetachFromDisposeScope();
            }
            return losses;
        }

        (int steps, _) = TrainingSchedule.Train(c, model, Step, () => Predict(trainGraph, val), clock);
        double bestVal = Predict(trainGraph, val);
        double testAuc = Predict(testGraph, test);
        for (int l = 1; l <= depth; l++) states[l].Dispose();
        return new RunResult(c.Split, c.Seed, testAuc, bestVal, steps, clock.Elapsed.TotalSeconds);
    }
}
