using System.Diagnostics;
using ForwardGnn.Layers;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// SF-Top-To-Input (spec §4.6): layer ℓ sees [LN(S_{ℓ−1}) ‖ LN(S_{ℓ+1})] — the state below and the state above — and
/// is trained with the SF loss at every time step. The state above the top layer is the label block Y (one-hot
/// training labels, 1/C for other real nodes, one-hot classes for the virtual nodes). States start from a
/// bottom-up pass with a zero top-down input. With the alternating update (the paper's scripts) odd layers update
/// first from the previous step, then even layers from the odd layers' new outputs. Prediction runs 10 steps from
/// a fresh bottom-up pass and sums the SF class probabilities of every layer at steps 2..9.
/// </summary>
public sealed class SfTopToInputAlgorithm : ILearningAlgorithm
{
    public const int TestTimeSteps = 10;
    public const int FirstStoredStep = 2;

    public string Name => "sf-t2i";

    public bool Supports(TaskKind task) => task == TaskKind.Node;

    /// <summary>Alternating odd/even update (on, as in the paper's scripts).</summary>
    public bool Alternating { get; init; } = true;

    /// <summary>Under fixed parameters, project layer 1's input LN(X_aug) once per prediction (the default), or in
    /// every forward as the literal algorithm does.</summary>
    internal bool ProjectInputOnce { get; init; } = true;

    /// <summary>Called after each of a prediction's time steps (tests watch the live tensors there).</summary>
    internal Action<int>? PredictionStepDone { get; init; }

    public RunResult Run(RunContext c)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);
        int depth = c.Config.Layers, hidden = c.Config.Hidden, classes = c.Data.NumClasses;
        using var layers = new LocalLayers(Enumerable.Range(1, depth).Select(l => new LocalLayer(
            GnnLayers.Create(c.Config.Gnn, (l == 1 ? c.Data.NumFeatures : hidden) + (l == depth ? classes : hidden), hidden),
            c.Config.Lr, c.Config.WeightDecay, normalizeInput: false)));
        using var setup = new SingleForwardGraph(c);
        using var model = new WholeModel(layers.Select(l => l.Conv));

        // Normalised states: ns[0] = LN(X_aug) (sparse), ns[L+1] = LN(Y); a layer only ever sees LN of its neighbours.
        Tensor bottom = setup.NormalizedFeatures();
        Tensor top = RowNorm.Apply(LabelState(c, setup));
        long rows = setup.Graph.NumNodes;

        // Layer ℓ on [a ‖ b] without gradient; b = null is the bottom-up pass's zero top-down input. Projection is
        // linear, so a zero block adds nothing, and layer 1's a = LN(X_aug) is projected once per prediction
        // (firstProjection): 11 forwards of layer 1 share it.
        Tensor Infer(int l, Tensor a, Tensor? b, Tensor? firstProjection)
        {
            LocalLayer layer = layers[l - 1];
            if (!ProjectInputOnce) return layer.ForwardBlocks([a, b ?? zeros(rows, l == depth ? classes : hidden, device: c.Device)], setup.Graph);
            return layer.ForwardFromProjection(l == 1 && firstProjection is not null ? firstProjection : layer.Conv.BlockProjection(a, 0),
                b, a.shape[1], setup.Graph);
        }

        Tensor[] BottomUp(Tensor? firstProjection = null)
        {
            using var _ = no_grad();
            var ns = new Tensor[depth + 2];
            ns[0] = bottom;
            ns[depth + 1] = top;
            for (int l = 1; l <= depth; l++)
            {
                using var layerScope = NewDisposeScope();
                ns[l] = RowNorm.Apply(Infer(l, ns[l - 1], null, firstProjection)).MoveToOuterDisposeScope();
            }
            return ns;
        }

        // One time step; train: take an Adam step per layer (each layer's loss into losses); observe: every output z.
        // Each layer's intermediates are freed as soon as its new state is made: a prediction's ten steps would
        // otherwise hold every step's tensors until it returns (gigabytes on GitHub at L = 4).
        float[] losses = [];   // the current training step's, one per layer: a fresh array per step, as the checks keep them
        Tensor[] TimeStep(Tensor[] ns, bool train, Action<Tensor>? observe, Tensor? firstProjection = null)
        {
            var next = new Tensor?[depth + 2];
            next[0] = ns[0];
            foreach (int[] group in Groups(depth, Alternating))
                foreach (int l in group)
                {
                    using var layerScope = NewDisposeScope();
                    Tensor a = Alternating && next[l - 1] is { } na ? na : ns[l - 1];
                    Tensor b = Alternating && next[l + 1] is { } nb ? nb : ns[l + 1];
                    Tensor z = null!;
                    if (train) losses[l - 1] = layers[l - 1].Step(() => setup.Loss(z = layers[l - 1].ForwardBlocks([a, b], setup.Graph)));
                    else z = Infer(l, a, b, firstProjection);
                    observe?.Invoke(z);
                    next[l] = RowNorm.Apply(z.detach()).MoveToOuterDisposeScope();
                }
            next[depth + 1] = ns[depth + 1];
            return next!;
        }

        double Predict(Tensor subset, Tensor labels)
        {
            using var _ = no_grad();
            using var inner = NewDisposeScope();
            Tensor votes = zeros(subset.shape[0], classes, device: c.Device);
            Tensor? first = ProjectInputOnce ? layers[0].Conv.BlockProjection(bottom, 0) : null;
            Tensor[] ns = BottomUp(first);
            for (int t = 0; t < TestTimeSteps; t++)
            {
                Tensor[] next = TimeStep(ns, train: false, t >= FirstStoredStep ? z => votes.add_(setup.Probabilities(z, subset), One) : null, first);
                for (int l = 1; l <= depth; l++) ns[l].Dispose();
                ns = next;
                PredictionStepDone?.Invoke(t);
            }
            return SingleForwardGraph.Accuracy(votes, labels);
        }

        // States 1..L are replaced (and disposed) step by step; ns[0] and ns[L+1] stay the run's.
        Tensor[] states = BottomUp();
        for (int l = 1; l <= depth; l++) states[l].DetachFromDisposeScope();
        float[] Step()
        {
            losses = new float[depth];
            Tensor[] next = TimeStep(states, train: true, null);
            for (int l = 1; l <= depth; l++)
            {
                states[l].Dispose();
                states[l] = next[l].DetachFromDisposeScope();
            }
            return losses;
        }

        (int steps, _) = TrainingSchedule.Train(c, model, Step, () => Predict(setup.Nodes.Val, setup.Nodes.ValLabels), clock);
        double val = Predict(setup.Nodes.Val, setup.Nodes.ValLabels);
        double test = Predict(setup.Nodes.Test, setup.Nodes.TestLabels);
        for (int l = 1; l <= depth; l++) states[l].Dispose();
        return new RunResult(c.Split, c.Seed, test, val, steps, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Update groups: odd layers then even layers when alternating, else all layers at once.</summary>
    internal static int[][] Groups(int depth, bool alternating) => alternating
        ? [Enumerable.Range(1, depth).Where(l => l % 2 == 1).ToArray(), Enumerable.Range(1, depth).Where(l => l % 2 == 0).ToArray()]
        : [Enumerable.Range(1, depth).ToArray()];

    /// <summary>Y [N + C, C]: one-hot labels of training nodes, 1/C for other real nodes, one-hot c for v_c.</summary>
    private static Tensor LabelState(RunContext c, SingleForwardGraph setup)
    {
        int n = c.Data.NumNodes, classes = c.Data.NumClasses;
        var y = new float[(n + classes) * classes];
        Array.Fill(y, 1f / classes, 0, n * classes);
        foreach (int i in c.NodeSplit!.Train)
        {
            Array.Clear(y, i * classes, classes);
            y[i * classes + c.Data.Labels[i]] = 1f;
        }
        for (int k = 0; k < classes; k++) y[(n + k) * classes + k] = 1f;
        return tensor(y, [n + classes, classes], device: setup.Device);
    }
}
