using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>
/// A model trained by SF-Top-To-Input (spec §4.6): layer ℓ sees [LN(S_{ℓ−1}) ‖ LN(S_{ℓ+1})] over the graph augmented
/// with one virtual node per class (features V [C, F], fixed), linked both ways to the labelled nodes of its class; the
/// state above the top layer is the label block Y (one-hot labels of the labelled nodes, 1/C for other real nodes,
/// one-hot classes for the virtual nodes). Prediction is the run's: <c>test_time_steps</c> time steps from a bottom-up
/// pass (odd layers then even layers when <c>alternating</c>), node q's class scores being the SF probabilities
/// softmax(z_ℓ[q] · z_ℓ[VN]ᵀ / τ) summed over every layer's output z_ℓ of the steps from <c>first_stored_step</c>; its
/// prediction is their argmax. Embeddings are the layers' outputs z_ℓ of the last time step (layer ℓ: z_ℓ; all layers:
/// z_1 … z_L side by side, [N, L·H]). The run's test evaluation labels the training nodes (<see cref="LabelledForTest"/>).
/// </summary>
public sealed class TopToInputModel : ConvStackModel
{
    internal TopToInputModel(ModelCard card, GraphConv[] convs, float[] classFeatures) : base(card, convs, classFeatures)
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
        return Predictions(query, SfTopToInputAlgorithm.Votes(Pass(g), g.Graph, Index(query), g.Virtual,
            Card.Options.GetValueOrDefault("temperature", SingleForwardAlgorithm.Temperature)));
    }

    /// <inheritdoc/>
    public override NodeEmbeddings Embed(GraphDataset graph, int? layer = null, IReadOnlyCollection<int>? labelled = null)
    {
        using Inference inference = Begin(graph, layer);
        using var g = new ClassNodeGraph(Card, ClassFeatures!, graph, labelled);
        return TopDownEmbeddings.Of(Pass(g), g.Graph, graph.NumNodes, layer);
    }

    /// <summary>The run's time steps over this inference's augmented graph, with its label block.</summary>
    private TopDownPass Pass(ClassNodeGraph g)
    {
        Tensor top = RowNorm.Apply(SfTopToInputAlgorithm.LabelState(g.Data.Labels, g.Data.NumNodes, Card.NumClasses, g.Labelled, CPU));
        return TopDownEmbeddings.Pass(Card, Convs, g.NormalizedFeatures(), top, alternating: Card.Options.GetValueOrDefault("alternating", 1) != 0);
    }

    internal static TopToInputModel Restore(ModelCard card, WeightSource weights)
    {
        GraphConv[] convs = weights.Convs(card.Gnn, l => (l == 0 ? card.NumFeatures : card.Hidden) + (l == card.Layers - 1 ? card.NumClasses : card.Hidden),
            card.Hidden, card.Layers);
        return new TopToInputModel(card, convs, ClassFeaturesOf(card, weights));
    }
}
