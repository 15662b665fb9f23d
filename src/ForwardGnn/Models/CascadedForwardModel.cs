using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Models;

/// <summary>
/// A model trained by CaFo (spec §11.3): frozen random blocks H_ℓ = ReLU(conv_ℓ(LN(H_{ℓ−1}))), each with its trained
/// predictor. Node model: scores Σ_ℓ softmax(W_ℓ H_ℓ + b_ℓ) [C], prediction their argmax. Link model: a pair's
/// probability is the mean over blocks of σ(⟨P_ℓ h_u, P_ℓ h_v⟩). Embeddings are the blocks' outputs side by side.
/// </summary>
public sealed class CascadedForwardModel : ConvStackModel
{
    private readonly Linear[] _predictors;

    internal CascadedForwardModel(ModelCard card, GraphConv[] blocks, Linear[] predictors) : base(card, blocks) => _predictors = predictors;

    /// <inheritdoc/>
    public override NodePredictions Predict(GraphDataset graph, IReadOnlyList<int>? nodes = null, IReadOnlyCollection<int>? labelled = null)
    {
        if (Card.Task != TaskKind.Node) return base.Predict(graph, nodes, labelled);
        int[] query = Query(graph, nodes);
        using Inference inference = Begin(graph);
        using var g = new GraphTensors(graph.Edges, CPU);
        Tensor q = Index(query);
        Tensor votes = zeros(query.Length, Card.NumClasses);
        int l = 0;
        foreach (Tensor h in LayerOutputs(graph, g, Card.Layers, cachedPath: false))
            votes = votes.add(_predictors[l++].call(h).index_select(0, q).softmax(1), One);
        return Predictions(query, votes);
    }

    /// <inheritdoc/>
    public override float[] ScorePairs(GraphDataset graph, int[] source, int[] target)
    {
        if (Card.Task != TaskKind.Link) return base.ScorePairs(graph, source, target);
        using Inference inference = Begin(graph);
        using var g = new GraphTensors(graph.Edges, CPU);
        LinkPairs pairs = Pairs(source, target);
        return MeanOverLayers(LayerOutputs(graph, g, Card.Layers, cachedPath: false).Select((h, l) => pairs.Scores(_predictors[l].call(h)).sigmoid()));
    }

    /// <inheritdoc/>
    public override NodeEmbeddings Embed(GraphDataset graph, int? layer = null, IReadOnlyCollection<int>? labelled = null)
    {
        using Inference inference = Begin(graph, layer);
        using var g = new GraphTensors(graph.Edges, CPU);
        return Embeddings(LayerOutputs(graph, g, layer ?? Card.Layers, cachedPath: false).ToList(), layer, graph.NumNodes);
    }

    internal override IEnumerable<nn.Module> Modules() => [.. Convs, .. _predictors];

    internal override IEnumerable<(string Name, Tensor Value)> Weights() =>
        ConvWeights(Convs).Concat(_predictors.SelectMany((p, l) => p.state_dict().Select(w => ($"predictors.{l}.{w.Key}", w.Value))));

    internal static CascadedForwardModel Restore(ModelCard card, WeightSource weights)
    {
        bool node = card.Task == TaskKind.Node;
        Linear[] predictors = Enumerable.Range(0, card.Layers).Select(l =>
        {
            Linear p = nn.Linear(card.Hidden, node ? card.NumClasses : card.Hidden, hasBias: node);
            weights.LoadInto(p, $"predictors.{l}.");
            return p;
        }).ToArray();
        return new CascadedForwardModel(card, weights.Convs(card.Gnn, card.NumFeatures, card.Hidden, card.Layers), predictors);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        foreach (Linear p in _predictors) p.Dispose();
    }
}
