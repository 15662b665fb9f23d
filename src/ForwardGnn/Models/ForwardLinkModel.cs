using ForwardGnn.Data;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>
/// A link model trained layer by layer (FL-CE, FL-FF, FL-SymBa; spec §5.2): Z_ℓ = ReLU(conv_ℓ(LN(Z_{ℓ−1}))). A pair's
/// probability is the mean over layers of σ(s_ℓ(u, v)), with s = ⟨z_u, z_v⟩ (FL-CE) or the goodness
/// Σ_k (z_u ⊙ z_v)_k² − θ (FL-FF, FL-SymBa). Embeddings are the layers' outputs side by side, [N, L·H].
/// </summary>
public sealed class ForwardLinkModel : ConvStackModel
{
    private readonly LinkObjective _objective;

    internal ForwardLinkModel(ModelCard card, GraphConv[] convs, LinkObjective objective) : base(card, convs) => _objective = objective;

    /// <inheritdoc/>
    public override float[] ScorePairs(GraphDataset graph, int[] source, int[] target)
    {
        using Inference inference = Begin(graph);
        using var g = new GraphTensors(graph.Edges, CPU);
        LinkPairs pairs = Pairs(source, target);
        double theta = Card.Options.GetValueOrDefault("theta", Goodness.Theta);
        return MeanOverLayers(LayerOutputs(graph, g, Card.Layers).Select(z => ForwardLinkAlgorithm.Probabilities(_objective, z, pairs, theta)));
    }

    /// <inheritdoc/>
    public override NodeEmbeddings Embed(GraphDataset graph, int? layer = null, IReadOnlyCollection<int>? labelled = null)
    {
        using Inference inference = Begin(graph, layer);
        using var g = new GraphTensors(graph.Edges, CPU);
        return Embeddings(LayerOutputs(graph, g, layer ?? Card.Layers).ToList(), layer, graph.NumNodes);
    }

    internal static ForwardLinkModel Restore(ModelCard card, WeightSource weights, LinkObjective objective) =>
        new(card, weights.Convs(card.Gnn, card.NumFeatures, card.Hidden, card.Layers), objective);
}
