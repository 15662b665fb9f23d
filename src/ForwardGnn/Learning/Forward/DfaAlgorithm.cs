using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Backprop;
using ForwardGnn.Models;
using ForwardGnn.Training;
using ForwardGnn.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// DFA-GNN (Zhao et al., NeurIPS 2024, arXiv 2406.02040): direct feedback alignment for node classification on BP's
/// network (<see cref="BasicGnn"/>, L convs, ReLU between, none after the last; output Ỹ = σ(X_L) [N, C], or softmax(X_L) when asked). Each step:
/// one forward pass; the output error E = Ỹ − Y on the training nodes (0 elsewhere); pseudo errors for every other
/// node by spreading E over Â = D^−½(A + I)D^−½, Z ← (1 − α)E + α Â Z (T times from Z = E), each row rescaled to the
/// training rows' mean L1 norm η; the node filter p_i = [exactly one class of Ỹ_i − Ê_i exceeds ε]; and every conv's
/// update from the filtered error Ê_f = p ⊙ Ê alone: the output conv gets the gradient of ⟨Ê_f, X_L⟩ / N, hidden conv ℓ
/// that of ⟨Âᴸ⁻ˡ Ê_f B_ℓ, ReLU(a_ℓ)⟩ / N with B_ℓ [C, H] fixed, entries N(0, 1). Every conv sees its input detached, so
/// no gradient passes between convs; one Adam applies the updates. Prediction is BP's, argmax X_L.
/// </summary>
internal sealed class DfaAlgorithm : ILearningAlgorithm, IModelRestorer
{
    public string Name => "dfa";

    public bool Supports(TaskKind task) => task == TaskKind.Node;

    /// <inheritdoc/>
    public bool AppliesDropout(TaskKind task) => task == TaskKind.Node;

    /// <inheritdoc/>
    public bool TracesTest(TaskKind task) => task == TaskKind.Node;

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => BackpropModel.Restore(card, weights);

    public RunResult Run(RunContext c)
    {
        ForwardOptions o = c.Config.Forward;
        return WholeNetworkRun.Run(c, Name, (gnn, nodes) =>
        {
            var rule = new DfaRule(gnn, c.Data.NumClasses, nodes.Train, nodes.TrainLabels, c.Config.Lr, c.Config.WeightDecay,
                o.DfaAlpha, o.DfaSteps, o.DfaThreshold, o.DfaSoftmax);
            return (rule.Optimizer, (x, graph) => new EpochOutcome(rule.Step(x, graph)));
        }, new Dictionary<string, double> { ["dfaAlpha"] = o.DfaAlpha, ["dfaSteps"] = o.DfaSteps, ["dfaThreshold"] = o.DfaThreshold, ["dfaSoftmax"] = o.DfaSoftmax ? 1 : 0 },
            c.Config.Dropout);
    }
}

/// <summary>DFA-GNN's error signals and step for one <see cref="BasicGnn"/> (see <see cref="DfaAlgorithm"/>).</summary>
/// <param name="gnn">The network; its convs are trained.</param>
/// <param name="classes">C.</param>
/// <param name="train">Training node indices [n] (the labelled nodes).</param>
/// <param name="labels">Their labels [n].</param>
/// <param name="lr">Adam's learning rate.</param>
/// <param name="weightDecay">Adam's L2 weight decay.</param>
/// <param name="alpha">α of the error spreading.</param>
/// <param name="steps">T, the spreading iterations (0: no pseudo errors, only the training nodes' errors).</param>
/// <param name="threshold">ε of the node filter (≥ 1: no filter).</param>
/// <param name="softmax">Ỹ = softmax(X_L) with cross-entropy instead of σ(X_L) with BCE (E = Ỹ − Y either way).</param>
internal sealed class DfaRule(BasicGnn gnn, int classes, Tensor train, Tensor labels, double lr, double weightDecay,
    double alpha, int steps, double threshold, bool softmax = false)
{
    /// <summary>B_ℓ [C, H] of every hidden conv, layer 1 first: fixed, entries N(0, 1), drawn after the network's weights.</summary>
    public Tensor[] Feedback { get; } = gnn.Convs.Take(gnn.Convs.Count - 1).Select(conv => randn(classes, conv.OutChannels, device: train.device)).ToArray();

    /// <summary>The Adam that applies the updates.</summary>
    public FusedAdam Optimizer { get; } = new(gnn.parameters(), lr, weightDecay);

    private readonly Tensor _onehot = nn.functional.one_hot(labels, classes).to(float32);

    /// <summary>
    /// One DFA-GNN step on features x [N, F]: forward pass, errors, filter, every conv's update, one Adam step. Returns the
    /// training nodes' BCE of σ(X_L), or their cross-entropy of softmax(X_L) with the softmax output.
    /// </summary>
    /// <param name="x">Input features [N, F] (dense or sparse).</param>
    /// <param name="graph">The graph (Â is its GCN operator).</param>
    public float Step(Tensor x, GraphTensors graph)
    {
        using var scope = NewDisposeScope();
        var inputs = new List<Tensor> { x };
        var masks = new List<Tensor>();
        Tensor logits;
        using (no_grad()) logits = gnn.TrainingForward(x, graph, inputs, masks);
        Tensor predicted = softmax ? logits.softmax(1) : logits.sigmoid();
        Tensor trainPredicted = predicted.index_select(0, train);
        float loss = (softmax
            ? nn.functional.cross_entropy(logits.index_select(0, train), labels)
            : nn.functional.binary_cross_entropy(trainPredicted, _onehot)).item<float>();
        Tensor error = Filtered(predicted, PseudoErrors(trainPredicted.sub(_onehot), graph));
        Update(inputs, error, graph, masks);
        Optimizer.Step();
        return loss;
    }

    /// <summary>
    /// Ê [N, C]: the training rows' errors <paramref name="trainError"/> [n, C], and for every other node its spread error
    /// z_j [C] rescaled to η z_j / ‖z_j‖₁ with η the mean ‖e_i‖₁ of the training rows (rows with z_j = 0 stay 0).
    /// </summary>
    internal Tensor PseudoErrors(Tensor trainError, GraphTensors graph)
    {
        Tensor e = zeros(graph.NumNodes, classes, device: trainError.device).index_copy(0, train, trainError);
        if (steps == 0) return e;
        Tensor z = e;
        for (int t = 0; t < steps; t++) z = e.mul(Of(1 - alpha)).add(graph.GcnAdjacency.Multiply(z), Of(alpha));
        Tensor eta = trainError.abs().sum(1L, false).mean();
        Tensor norms = z.abs().sum(1L, true);
        Tensor rescaled = z.mul(eta).div(norms.clamp_min(Of(1e-30))).mul(norms.gt(Of(0)).to(z.dtype));
        return rescaled.index_copy(0, train, trainError);
    }

    /// <summary>Ê_f = p ⊙ Ê with p_i = 1 when exactly one class of the corrected prediction Ỹ_i − Ê_i exceeds ε, else 0.</summary>
    internal Tensor Filtered(Tensor predicted, Tensor error)
    {
        if (threshold >= 1) return error;
        Tensor keep = predicted.sub(error).gt(Of(threshold)).sum(1L, true, ScalarType.Int64).eq(Of(1));
        return error.mul(keep.to(error.dtype));
    }

    /// <summary>
    /// Sets every parameter's gradient: the output conv's to that of ⟨Ê_f, conv_L(h_{L−1})⟩ / N, hidden conv ℓ's to that of
    /// ⟨Âᴸ⁻ˡ Ê_f B_ℓ, m_ℓ ⊙ ReLU(conv_ℓ(h_{ℓ−1}))⟩ / N, every conv on its detached input h_{ℓ−1} (<paramref name="inputs"/>[ℓ − 1]);
    /// m_ℓ [N, H] is the dropout mask of the forward pass (<paramref name="masks"/>[ℓ − 1]; none given: 1), so a dropped
    /// unit gets no update, as under BP.
    /// </summary>
    internal void Update(IReadOnlyList<Tensor> inputs, Tensor error, GraphTensors graph, IReadOnlyList<Tensor>? masks = null)
    {
        IReadOnlyList<GraphConv> convs = gnn.Convs;
        Optimizer.ZeroGrad();
        var scale = Of(1.0 / graph.NumNodes);
        Tensor spread = error;   // Âᵏ Ê_f, k = L − ℓ hops for conv ℓ
        for (int l = convs.Count - 1; l >= 0; l--)
        {
            bool last = l == convs.Count - 1;
            Tensor a = convs[l].call(inputs[l].detach(), graph);
            Tensor signal;
            if (last) signal = error;
            else
            {
                spread = graph.GcnAdjacency.Multiply(spread);
                signal = spread.matmul(Feedback[l]);
            }
            Tensor h = last ? a : nn.functional.relu(a);
            if (!last && masks is { Count: > 0 }) h = h.mul(masks[l]);
            h.mul(signal).sum().mul(scale).backward();
        }
    }
}
