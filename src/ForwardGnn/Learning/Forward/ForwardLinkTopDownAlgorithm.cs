using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Models;
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
internal sealed class ForwardLinkTopDownAlgorithm : ILearningAlgorithm, IModelRestorer
{
    public string Name => "fl-ce-t2i";

    public bool Supports(TaskKind task) => task == TaskKind.Link;

    /// <summary>Under fixed parameters, project layer 1's input LN(X) once per prediction (the default), or in every
    /// forward as the literal algorithm does.</summary>
    internal bool ProjectInputOnce { get; init; } = true;

    /// <summary>Called after each of a prediction's time steps (tests watch the live tensors there).</summary>
    internal Action<int>? PredictionStepDone { get; init; }

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => ForwardLinkTopDownModel.Restore(card, weights);

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

        var pass = new TopDownPass(layers.Select(l => l.Conv).ToArray(), bottom, top: null, hidden, alternating: true, ProjectInputOnce)
        {
            Steps = c.Config.Forward.TestTimeSteps,
        };

        double Predict(GraphTensors graph, LinkPairs pairs)
        {
            using var _ = no_grad();
            using var inner = NewDisposeScope();
            return pairs.RocAuc(Probabilities(pass, graph, pairs, PredictionStepDone));
        }

        // One training time step: an Adam step per layer, each layer's loss into losses (a fresh array per step, as the
        // checks keep them). States 1..L are replaced (and disposed) step by step; ns[0] stays the run's.
        float[] losses = [];
        Tensor Learn(int l, Tensor a, Tensor? b)
        {
            Tensor z = null!;
            losses[l - 1] = layers[l - 1].Step(() => nn.functional.binary_cross_entropy_with_logits(
                train.Scores(z = layers[l - 1].ForwardBlocks(l < depth ? [a, b!] : [a], trainGraph)), train.Labels));
            return z;
        }

        Tensor[] states = pass.BottomUp(trainGraph);
        for (int l = 1; l <= depth; l++) states[l].DetachFromDisposeScope();
        float[] Step()
        {
            losses = new float[depth];
            Tensor[] next = pass.TimeStep(states, trainGraph, Learn, null);
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
        var result = new RunResult(c.Split, c.Seed, testAuc, bestVal, steps, clock.Elapsed.TotalSeconds);
        var options = new Dictionary<string, double>
        {
            ["test_time_steps"] = pass.Steps, ["first_stored_step"] = SfTopToInputAlgorithm.FirstStoredStep,
        };
        return c.Deliver(result, new ForwardLinkTopDownModel(c.Card(Name) with { Options = options }, layers.Select(l => l.TakeConv()).ToArray()));
    }

    /// <summary>
    /// The prediction's pair probabilities, [P]: the mean of σ(⟨z_u, z_v⟩) over every layer's output z at the time steps
    /// the pass stores, message passing over <paramref name="graph"/> (call without gradient, in a dispose scope).
    /// </summary>
    internal static Tensor Probabilities(TopDownPass pass, GraphTensors graph, LinkPairs pairs, Action<int>? stepDone = null)
    {
        Tensor sum = zeros(pairs.Labels.shape[0], device: graph.Device);
        int count = 0;
        pass.Predict(graph, (_, _, z) =>
        {
            sum.add_(pairs.Scores(z).sigmoid(), One);
            count++;
        }, stepDone);
        return sum.div(HeldScalars.Of(count));
    }
}
