using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Models;

/// <summary>
/// A model trained by SF (single forward, spec §4.4): layers Z_ℓ = ReLU(conv_ℓ(LN(Z_{ℓ−1}))) over the graph augmented
/// with one virtual node per class (features V [C, F], fixed), linked both ways to the labelled nodes of its class.
/// Node q's class scores are Σ_ℓ softmax(Z_ℓ[q] · Z_ℓ[VN]ᵀ / τ) [C] over the layers; its prediction is their argmax.
/// Embeddings are the layers' outputs at the real nodes. The run's test evaluation labels the training nodes
/// (<see cref="LabelledForTest"/>).
/// </summary>
public sealed class SingleForwardModel : ConvStackModel
{
    internal SingleForwardModel(ModelCard card, GraphConv[] convs, float[] classFeatures) : base(card, convs, classFeatures)
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
        Tensor q = Index(query);
        double temperature = Card.Options.GetValueOrDefault("temperature", SingleForwardAlgorithm.Temperature);
        Tensor votes = zeros(query.Length, Card.NumClasses);
        foreach (Tensor z in LayerOutputs(g.NormalizedFeatures(), g.Graph, Card.Layers))
            votes = votes.add(SingleForwardAlgorithm.Scores(z, q, g.Virtual, temperature).softmax(1), One);
        return Predictions(query, votes);
    }

    /// <inheritdoc/>
    public override NodeEmbeddings Embed(GraphDataset graph, int? layer = null, IReadOnlyCollection<int>? labelled = null)
    {
        using Inference inference = Begin(graph, layer);
        using var g = new ClassNodeGraph(Card, ClassFeatures!, graph, labelled);
        return Embeddings(LayerOutputs(g.NormalizedFeatures(), g.Graph, layer ?? Card.Layers).ToList(), layer, graph.NumNodes);
    }

    internal static SingleForwardModel Restore(ModelCard card, WeightSource weights) =>
        new(card, weights.Convs(card.Gnn, card.NumFeatures, card.Hidden, card.Layers), ClassFeaturesOf(card, weights));
}
