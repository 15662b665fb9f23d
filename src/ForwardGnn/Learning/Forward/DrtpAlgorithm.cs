using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Backprop;
using ForwardGnn.Models;
using ForwardGnn.Training;
using ForwardGnn.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// Direct random target projection (DRTP; Frenkel, Lefebvre &amp; Bol 2021) in its fitted form (tpSGD; Lomnitz et al.
/// 2022) for node classification, on BP's network (<see cref="BasicGnn"/>: in → H → … → H → C, ReLU between convs,
/// none after the last). Hidden conv ℓ &lt; L fits a fixed random projection of the one-hot target: with
/// h_ℓ = ReLU(conv_ℓ(h_{ℓ−1})) [N, H] on its input detached and B_ℓ [C, H] drawn once per run (entries N(0, 1)), its
/// loss is the mean over training nodes of ‖h_ℓ[i] − y_i B_ℓ‖² (summed over the H units, as tpSGD's layer loss;
/// a mean over units too would make the gradient smaller than Adam's L2 weight decay). The output conv learns from its
/// own error, CE(conv_L(h_{L−1})[train], y). All layers update in every step (one forward pass, one Adam); prediction
/// is BP's, argmax of the logits of one forward pass.
/// </summary>
internal sealed class DrtpAlgorithm : ILearningAlgorithm, IModelRestorer
{
    public string Name => "drtp";

    public bool Supports(TaskKind task) => task == TaskKind.Node;

    /// <inheritdoc/>
    public bool TracesTest(TaskKind task) => task == TaskKind.Node;

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => BackpropModel.Restore(card, weights);

    public RunResult Run(RunContext c) => WholeNetworkRun.Run(c, Name, (gnn, nodes) =>
    {
        var rule = new DrtpRule(gnn, c.Data.NumClasses, nodes.TrainLabels, c.Config.Lr, c.Config.WeightDecay);
        return (rule.Optimizer, (x, graph) => EpochOutcome.OfLayers(rule.Step(x, graph, nodes.Train)));
    });
}

/// <summary>
/// DRTP's local losses and step for one <see cref="BasicGnn"/>: the fixed projections B_ℓ [C, H] (ℓ &lt; L), the
/// targets Y[train] B_ℓ [n, H] they give the training nodes, and one Adam over every conv (each conv's gradient
/// comes from its own loss only, so this is the same as an Adam per layer).
/// </summary>
internal sealed class DrtpRule
{
    private readonly BasicGnn _gnn;
    private readonly Tensor _labels;
    private readonly Tensor[] _targets;

    /// <param name="gnn">The network; its convs are trained.</param>
    /// <param name="classes">C.</param>
    /// <param name="trainLabels">The training nodes' labels [n].</param>
    /// <param name="lr">Adam's learning rate.</param>
    /// <param name="weightDecay">Adam's L2 weight decay.</param>
    public DrtpRule(BasicGnn gnn, int classes, Tensor trainLabels, double lr, double weightDecay)
    {
        _gnn = gnn;
        _labels = trainLabels;
        IReadOnlyList<GraphConv> convs = gnn.Convs;
        Projections = convs.Take(convs.Count - 1).Select(conv => randn(classes, conv.OutChannels, device: trainLabels.device)).ToArray();
        Tensor onehot = nn.functional.one_hot(trainLabels, classes).to(float32);
        _targets = Projections.Select(b => onehot.matmul(b)).ToArray();
        Optimizer = new FusedAdam(gnn.parameters(), lr, weightDecay);
    }

    /// <summary>B_ℓ [C, H] of every hidden conv, layer 1 first (fixed for the run).</summary>
    public Tensor[] Projections { get; }

    /// <summary>The Adam that applies the updates.</summary>
    public FusedAdam Optimizer { get; }

    /// <summary>
    /// One forward pass in which every conv takes its local gradient on its detached input, then one Adam step.
    /// Returns each layer's loss, layer 1 first. x: input features [N, F] (dense or sparse).
    /// </summary>
    /// <param name="x">Input features [N, F].</param>
    /// <param name="graph">The graph.</param>
    /// <param name="train">Training node indices [n].</param>
    public float[] Step(Tensor x, GraphTensors graph, Tensor train)
    {
        using var scope = NewDisposeScope();
        IReadOnlyList<GraphConv> convs = _gnn.Convs;
        var losses = new float[convs.Count];
        Optimizer.ZeroGrad();
        Tensor input = x;
        for (int l = 0; l < convs.Count; l++)
        {
            Tensor a = convs[l].call(input, graph);
            bool last = l == convs.Count - 1;
            Tensor h = last ? a : nn.functional.relu(a);
            Tensor loss = last
                ? nn.functional.cross_entropy(a.index_select(0, train), _labels)
                : h.index_select(0, train).sub(_targets[l]).pow(HeldScalars.Two).sum(1).mean();   // per node ‖h − t‖², as tpSGD's layer loss
            loss.backward();
            losses[l] = loss.item<float>();
            input = h.detach();
        }
        Optimizer.Step();
        return losses;
    }
}
