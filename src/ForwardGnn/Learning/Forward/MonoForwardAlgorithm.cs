using System.Diagnostics;
using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Models;
using ForwardGnn.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// Mono-Forward (Gong, Li &amp; Abdulla 2025, arXiv 2501.09238) for node classification. Layers
/// Z_ℓ = ReLU(conv_ℓ(LN(Z_{ℓ−1}))) [N, H], SF's forward layers, each with a learned projection M_ℓ [C, H] to class
/// scores G_ℓ = Z_ℓ M_ℓᵀ [N, C] and the local loss CE(G_ℓ[train], y[train]). One step is one forward pass: layer ℓ
/// runs on Z_{ℓ−1} detached, takes one Adam step on (conv_ℓ, M_ℓ) for its own loss and hands its output up, so all
/// layers learn in every step (the paper's schedule, not a greedy one). Early stopping watches the whole model;
/// the prediction is the last layer's, argmax G_L (the paper's one-pass prediction).
/// </summary>
internal sealed class MonoForwardAlgorithm : ILearningAlgorithm, IModelRestorer
{
    public string Name => "mono-forward";

    public bool Supports(TaskKind task) => task == TaskKind.Node;

    /// <inheritdoc/>
    public GnnModel RestoreModel(ModelCard card, WeightSource weights) => MonoForwardModel.Restore(card, weights);

    public RunResult Run(RunContext c)
    {
        NodeSplit split = c.NodeSplit ?? throw new ArgumentException("mono-forward needs a node split");
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(c.Seed);
        using var layers = new LocalLayers(c.Config, c.Data.NumFeatures);
        using var stack = new MonoForwardStack(layers, c.Data.NumClasses, c.Config, c.Device);
        Tensor features = FeatureTensor.From(RowNorm.Apply(c.Data.Features), c.Device);
        using var graph = new GraphTensors(c.Data.Edges, c.Device);
        var nodes = new NodeSets(c.Data, split, augmenter: null, c.Device);
        double Accuracy(Tensor subset, Tensor labels) => stack.Accuracy(features, graph, subset, labels);

        (int epochs, _) = TrainingSchedule.Train(c, stack, () => stack.Step(features, graph, nodes.Train, nodes.TrainLabels),
            () => Accuracy(nodes.Val, nodes.ValLabels), clock);
        var result = new RunResult(c.Split, c.Seed, Accuracy(nodes.Test, nodes.TestLabels), Accuracy(nodes.Val, nodes.ValLabels), epochs,
            clock.Elapsed.TotalSeconds);
        return c.Deliver(result, new MonoForwardModel(c.Card(Name), layers.Select(l => l.TakeConv()).ToArray(), stack.TakeProjections()));
    }
}

/// <summary>
/// The trained parts of a Mono-Forward model as one module (convs <c>convs.ℓ</c>, projections <c>projections.ℓ</c>),
/// which early stopping watches, and its step. Disposing it releases the projections unless a model took them; the
/// convs belong to their local layers.
/// </summary>
internal sealed class MonoForwardStack : nn.Module
{
    private readonly ModuleList<GraphConv> convs = new();
    private readonly ModuleList<Linear> projections = new();
    private readonly LocalLayers _layers;
    private readonly FusedAdam[] _optimizers;
    private bool _projectionsTaken;

    /// <param name="layers">The local layers (each with its own Adam for its conv).</param>
    /// <param name="classes">C.</param>
    /// <param name="config">Hidden width, lr and weight decay of the projections' Adam.</param>
    /// <param name="device">Where the projections live.</param>
    public MonoForwardStack(LocalLayers layers, int classes, TrainConfig config, Device device) : base(nameof(MonoForwardStack))
    {
        _layers = layers;
        foreach (LocalLayer layer in layers)
        {
            convs.Add(layer.Conv);
            projections.Add(nn.Linear(layer.Conv.OutChannels, classes, hasBias: false, device: device));
        }
        _optimizers = projections.Select(p => new FusedAdam(p.parameters(), config.Lr, config.WeightDecay)).ToArray();
        RegisterComponents();
    }

    /// <summary>M_ℓ [C, H] of layer ℓ (0-based).</summary>
    public Linear Projection(int layer) => projections[layer];

    /// <summary>
    /// One forward pass that trains every layer on its own loss CE(Z_ℓ[train] M_ℓᵀ, y): layer ℓ sees Z_{ℓ−1} detached
    /// (the features, already normalised, for ℓ = 1) and steps (conv_ℓ, M_ℓ) before layer ℓ + 1 runs. Returns each layer's loss.
    /// </summary>
    /// <param name="features">LN(X) [N, F] (dense or sparse).</param>
    /// <param name="graph">The graph.</param>
    /// <param name="train">Training node indices [n].</param>
    /// <param name="labels">Their labels [n].</param>
    public float[] Step(Tensor features, GraphTensors graph, Tensor train, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var losses = new float[_layers.Count];
        Tensor input = features;
        for (int l = 0; l < _layers.Count; l++)
        {
            Tensor z = null!;
            Linear projection = projections[l];
            _optimizers[l].ZeroGrad();
            losses[l] = _layers[l].Step(() => nn.functional.cross_entropy(projection.call((z = _layers[l].Forward(input, graph, normalized: l == 0)).index_select(0, train)), labels));
            _optimizers[l].Step();
            input = z.detach();
        }
        return losses;
    }

    /// <summary>Class scores of the last layer, G_L = Z_L M_Lᵀ [N, C], computed without gradients as the model's inference computes them.</summary>
    public Tensor Scores(Tensor features, GraphTensors graph)
    {
        using var _ = no_grad();
        Tensor input = features;
        for (int l = 0; l < _layers.Count; l++) input = LocalLayer.Infer(_layers[l].Conv, input, graph, normalized: l == 0, cachedPath: false);
        return projections[^1].call(input);
    }

    /// <summary>Accuracy (%) of argmax G_L on <paramref name="subset"/>.</summary>
    public double Accuracy(Tensor features, GraphTensors graph, Tensor subset, Tensor labels)
    {
        using var scope = NewDisposeScope();
        Tensor predicted = Scores(features, graph).index_select(0, subset).argmax(1);
        return Metrics.Accuracy(predicted.cpu().data<long>().ToArray(), labels.cpu().data<long>().ToArray());
    }

    /// <summary>Hands the projections to a model: disposing the stack then leaves them alive.</summary>
    public Linear[] TakeProjections()
    {
        _projectionsTaken = true;
        return [.. projections];
    }

    /// <summary>Releases the optimisers and (unless taken) the projections; the convs stay with their layers. The
    /// module's own native handle is left to its finalizer, as for <see cref="WholeModel"/>.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (FusedAdam optimizer in _optimizers) optimizer.Dispose();
            if (!_projectionsTaken) foreach (Linear p in projections) p.Dispose();
        }
        base.Dispose(false);
    }
}
