using System.Diagnostics;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Models;
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
internal sealed class SfTopToInputAlgorithm : ILearningAlgorithm, IModelRestorer
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

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => TopToInputModel.Restore(card, weights);

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
        Tensor top = RowNorm.Apply(LabelState(c.Data.Labels, c.Data.NumNodes, classes, c.NodeSplit!.Train, setup.Device));
        var pass = new TopDownPass(layers.Select(l => l.Conv).ToArray(), bottom, top, hidden, Alternating, ProjectInputOnce)
        {
            Steps = c.Config.Forward.TestTimeSteps,
        };

        double Predict(Tensor subset, Tensor labels)
        {
            using var _ = no_grad();
            using var inner = NewDisposeScope();
            return SingleForwardGraph.Accuracy(Votes(pass, setup.Graph, subset, setup.Nodes.Virtual, setup.Temperature, PredictionStepDone), labels);
        }

        // One training time step: an Adam step per layer, each layer's loss into losses (a fresh array per step, as the
        // checks keep them). States 1..L are replaced (and disposed) step by step; ns[0] and ns[L+1] stay the run's.
        float[] losses = [];
        Tensor Learn(int l, Tensor a, Tensor? b)
        {
            Tensor z = null!;
            losses[l - 1] = layers[l - 1].Step(() => setup.Loss(z = layers[l - 1].ForwardBlocks([a, b!], setup.Graph)));
            return z;
        }

        Tensor[] states = pass.BottomUp(setup.Graph);
        for (int l = 1; l <= depth; l++) states[l].DetachFromDisposeScope();
        float[] Step()
        {
            losses = new float[depth];
            Tensor[] next = pass.TimeStep(states, setup.Graph, Learn, null);
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
        var result = new RunResult(c.Split, c.Seed, test, val, steps, clock.Elapsed.TotalSeconds);
        var options = new Dictionary<string, double>
        {
            ["temperature"] = setup.Temperature, ["test_time_steps"] = pass.Steps,
            ["first_stored_step"] = FirstStoredStep, ["alternating"] = Alternating ? 1 : 0,
        };
        return c.Deliver(result, new TopToInputModel(c.Card(Name) with { Options = options },
            layers.Select(l => l.TakeConv()).ToArray(), setup.Augmenter.ClassFeatures));
    }

    /// <summary>
    /// The prediction's votes for the nodes <paramref name="subset"/>, [|Q|, C]: the SF class probabilities
    /// softmax(z[Q] · z[VN]ᵀ / τ) of every layer's output z at the time steps the pass stores, summed (call without
    /// gradient, in a dispose scope).
    /// </summary>
    internal static Tensor Votes(TopDownPass pass, GraphTensors graph, Tensor subset, Tensor virtualNodes, double temperature,
        Action<int>? stepDone = null)
    {
        Tensor votes = zeros(subset.shape[0], virtualNodes.shape[0], device: graph.Device);
        pass.Predict(graph, (_, _, z) => votes.add_(SingleForwardAlgorithm.Scores(z, subset, virtualNodes, temperature).softmax(1), One), stepDone);
        return votes;
    }

    /// <summary>Update groups: odd layers then even layers when alternating, else all layers at once.</summary>
    internal static int[][] Groups(int depth, bool alternating) => alternating
        ? [Enumerable.Range(1, depth).Where(l => l % 2 == 1).ToArray(), Enumerable.Range(1, depth).Where(l => l % 2 == 0).ToArray()]
        : [Enumerable.Range(1, depth).ToArray()];

    /// <summary>Y [N + C, C]: one-hot labels of training nodes, 1/C for other real nodes, one-hot c for v_c.</summary>
    /// <remarks>The labels read are those of the <paramref name="labelled"/> nodes (the training nodes in a run).</remarks>
    internal static Tensor LabelState(int[] labels, int n, int classes, IEnumerable<int> labelled, Device device)
    {
        var y = new float[(n + classes) * classes];
        Array.Fill(y, 1f / classes, 0, n * classes);
        foreach (int i in labelled)
        {
            Array.Clear(y, i * classes, classes);
            y[i * classes + labels[i]] = 1f;
        }
        for (int k = 0; k < classes; k++) y[(n + k) * classes + k] = 1f;
        return tensor(y, [n + classes, classes], device: device);
    }
}
