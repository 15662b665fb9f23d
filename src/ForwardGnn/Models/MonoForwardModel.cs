using ForwardGnn.Data;
using ForwardGnn.Training;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>
/// A model trained by Mono-Forward: layers Z_ℓ = ReLU(conv_ℓ(LN(Z_{ℓ−1}))) [N, H], each with its projection
/// M_ℓ [C, H] to class scores Z_ℓ M_ℓᵀ. Node q's scores are softmax(Z_L[q] M_Lᵀ) [C] of the last layer, its prediction
/// their argmax (the lower layers' projections only served training and are kept for inspection). Embeddings are the
/// layers' outputs.
/// </summary>
internal sealed class MonoForwardModel : ConvStackModel
{
    private readonly Linear[] _projections;

    internal MonoForwardModel(ModelCard card, GraphConv[] convs, Linear[] projections) : base(card, convs) => _projections = projections;

    /// <inheritdoc/>
    public override NodePredictions Predict(GraphDataset graph, IReadOnlyList<int>? nodes = null, IReadOnlyCollection<int>? labelled = null)
    {
        int[] query = Query(graph, nodes);
        using Inference inference = Begin(graph);
        using var g = new GraphTensors(graph.Edges, CPU);
        Tensor logits = _projections[^1].call(LayerOutputs(graph, g, Card.Layers, cachedPath: false).Last()).index_select(0, Index(query));
        return Predictions(query, logits.softmax(1), logits);
    }

    /// <inheritdoc/>
    public override NodeEmbeddings Embed(GraphDataset graph, int? layer = null, IReadOnlyCollection<int>? labelled = null)
    {
        using Inference inference = Begin(graph, layer);
        using var g = new GraphTensors(graph.Edges, CPU);
        return Embeddings(LayerOutputs(graph, g, layer ?? Card.Layers, cachedPath: false).ToList(), layer, graph.NumNodes);
    }

    internal override IEnumerable<nn.Module> Modules() => [.. Convs, .. _projections];

    internal override IEnumerable<(string Name, Tensor Value)> Weights() =>
        ConvWeights(Convs).Concat(_projections.SelectMany((p, l) => p.state_dict().Select(w => ($"projections.{l}.{w.Key}", w.Value))));

    internal static MonoForwardModel Restore(ModelCard card, WeightSource weights)
    {
        Linear[] projections = Enumerable.Range(0, card.Layers).Select(l =>
        {
            Linear p = nn.Linear(card.Hidden, card.NumClasses, hasBias: false);
            weights.LoadInto(p, $"projections.{l}.");
            return p;
        }).ToArray();
        return new MonoForwardModel(card, weights.Convs(card.Gnn, card.NumFeatures, card.Hidden, card.Layers), projections);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        foreach (Linear p in _projections) p.Dispose();
    }
}
