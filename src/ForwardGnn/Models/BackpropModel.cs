using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;
using ForwardGnn.Learning.Backprop;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>
/// A model trained end to end by backpropagation (spec §4.1, §5.1): PyG's BasicGNN, L convs with ReLU between them.
/// Node model: logits [N, C], scores softmax(logits), prediction argmax. Link model: embeddings z [N, H], a pair's
/// probability σ(⟨z_u, z_v⟩).
/// </summary>
public sealed class BackpropModel : GnnModel
{
    private readonly BasicGnn _gnn;

    internal BackpropModel(ModelCard card, BasicGnn gnn) : base(card) => _gnn = gnn;

    /// <inheritdoc/>
    public override NodePredictions Predict(GraphDataset graph, IReadOnlyList<int>? nodes = null, IReadOnlyCollection<int>? labelled = null)
    {
        if (Card.Task != TaskKind.Node) return base.Predict(graph, nodes, labelled);
        int[] query = Query(graph, nodes);
        using Inference inference = Begin(graph);
        using var g = new GraphTensors(graph.Edges, CPU);
        Tensor logits = _gnn.call(FeatureTensor.From(graph.Features, CPU), g).index_select(0, Index(query));
        return Predictions(query, logits.softmax(1), decisive: logits);
    }

    /// <inheritdoc/>
    public override float[] ScorePairs(GraphDataset graph, int[] source, int[] target)
    {
        if (Card.Task != TaskKind.Link) return base.ScorePairs(graph, source, target);
        using Inference inference = Begin(graph);
        using var g = new GraphTensors(graph.Edges, CPU);
        return Pairs(source, target).Scores(_gnn.call(FeatureTensor.From(graph.Features, CPU), g)).sigmoid().data<float>().ToArray();
    }

    /// <inheritdoc/>
    public override NodeEmbeddings Embed(GraphDataset graph, int? layer = null, IReadOnlyCollection<int>? labelled = null)
    {
        using Inference inference = Begin(graph, layer);
        using var g = new GraphTensors(graph.Edges, CPU);
        var hidden = new List<Tensor>();
        hidden.Add(_gnn.Forward(FeatureTensor.From(graph.Features, CPU), g, hidden));
        return Embeddings(hidden[(layer ?? Card.Layers) - 1], graph.NumNodes);
    }

    internal override IEnumerable<nn.Module> Modules() => [_gnn];

    internal override IEnumerable<(string Name, Tensor Value)> Weights() => _gnn.state_dict().Select(p => (p.Key, p.Value));

    internal static BackpropModel Restore(ModelCard card, WeightSource weights)
    {
        var gnn = new BasicGnn(card.Gnn, card.NumFeatures, card.Hidden, card.Layers, card.Task == TaskKind.Node ? card.NumClasses : null);
        weights.LoadInto(gnn, "");
        return new BackpropModel(card, gnn);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) => _gnn.Dispose();
}
