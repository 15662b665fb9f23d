using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>
/// A link model trained by FL-CE-Top-To-Input (spec §5.3): layer ℓ &lt; L sees [LN(S_{ℓ−1}) ‖ LN(S_{ℓ+1})], the top
/// layer LN(S_{L−1}) only. A pair's probability is the run's: <c>test_time_steps</c> time steps (odd layers then even
/// layers) from a bottom-up pass over the graph, and the mean of σ(⟨z_u, z_v⟩) over every layer's output z of the
/// steps from <c>first_stored_step</c>. Embeddings are the layers' outputs of the last time step (layer ℓ: z_ℓ; all
/// layers: z_1 … z_L side by side, [N, L·H]).
/// </summary>
public sealed class ForwardLinkTopDownModel : ConvStackModel
{
    internal ForwardLinkTopDownModel(ModelCard card, GraphConv[] convs) : base(card, convs)
    {
    }

    /// <inheritdoc/>
    public override float[] ScorePairs(GraphDataset graph, int[] source, int[] target)
    {
        using Inference inference = Begin(graph);
        using var g = new GraphTensors(graph.Edges, CPU);
        return ForwardLinkTopDownAlgorithm.Probabilities(Pass(graph), g, Pairs(source, target)).data<float>().ToArray();
    }

    /// <inheritdoc/>
    public override NodeEmbeddings Embed(GraphDataset graph, int? layer = null, IReadOnlyCollection<int>? labelled = null)
    {
        using Inference inference = Begin(graph, layer);
        using var g = new GraphTensors(graph.Edges, CPU);
        return TopDownEmbeddings.Of(Pass(graph), g, graph.NumNodes, layer);
    }

    /// <summary>The run's time steps from LN(X) of <paramref name="graph"/>.</summary>
    private TopDownPass Pass(GraphDataset graph) =>
        TopDownEmbeddings.Pass(Card, Convs, FeatureTensor.From(RowNorm.Apply(graph.Features), CPU), top: null, alternating: true);

    internal static ForwardLinkTopDownModel Restore(ModelCard card, WeightSource weights) => new(card,
        weights.Convs(card.Gnn, l => (l == 0 ? card.NumFeatures : card.Hidden) + (l < card.Layers - 1 ? card.Hidden : 0), card.Hidden, card.Layers));
}
