using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>
/// A model trained by SF-Top-To-Loss (spec §4.5): layers g_ℓ(z) = ReLU(conv_ℓ(z)) over the graph augmented with one
/// virtual node per class (features V [C, F], fixed), linked both ways to the labelled nodes of its class. Prediction
/// is the run's: a bottom-up sweep from the raw features gives states s_ℓ = LN(u_ℓ) and outputs z_ℓ = g_ℓ(s_ℓ₋₁); node
/// q's class scores are Σ_ℓ softmax(m_ℓ[q] · m_ℓ[VN]ᵀ / τ) with the merge m_ℓ = mean(z_ℓ, s_ℓ₊₁, …, s_L), and its
/// prediction is their argmax. Embeddings are those merges (layer ℓ: m_ℓ; all layers: m_1 … m_L side by side,
/// [N, L·H]). The run's test evaluation labels the training nodes (<see cref="LabelledForTest"/>).
/// </summary>
public sealed class TopToLossModel : ConvStackModel
{
    internal TopToLossModel(ModelCard card, GraphConv[] convs, float[] classFeatures) : base(card, convs, classFeatures)
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyCollection<int> LabelledForTest(NodeSplit split) => split.Train;

    /// <inheritdoc/>
    public override NodePredictions Predict(GraphDataset graph, IReadOnlyList<int>? nodes = null, IReadOnlyCollection<int>? labelled = null)
    {
        int[] query = Query(graph, nodes);
        using Inference inference = Begin(graph);
        using var g = new ClassNodeGraph(Card, ClassFeatures!, graph, labelled);
        return Predictions(query, Sweep(g).Votes(Index(query)));
    }

    /// <inheritdoc/>
    public override NodeEmbeddings Embed(GraphDataset graph, int? layer = null, IReadOnlyCollection<int>? labelled = null)
    {
        using Inference inference = Begin(graph, layer);
        using var g = new ClassNodeGraph(Card, ClassFeatures!, graph, labelled);
        Tensor[] merges = Sweep(g).Merges();
        return Embeddings(layer is { } k ? merges[..k] : merges, layer, graph.NumNodes);
    }

    /// <summary>The run's sweep over this inference's augmented graph.</summary>
    private TopToLossSweep Sweep(ClassNodeGraph g) =>
        new(Convs, g.Graph, g.Augmenter.Features, g.Virtual, FeatureTensor.From(g.Augmenter.Features, CPU), g.NormalizedFeatures(),
            Card.Options.GetValueOrDefault("temperature", SingleForwardAlgorithm.Temperature));

    internal static TopToLossModel Restore(ModelCard card, WeightSource weights) =>
        new(card, weights.Convs(card.Gnn, card.NumFeatures, card.Hidden, card.Layers), ClassFeaturesOf(card, weights));
}
