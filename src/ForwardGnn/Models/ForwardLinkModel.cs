using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Models;

/// <summary>
/// A link model trained layer by layer (FL-CE, FL-FF, FL-SymBa; spec §5.2): Z_ℓ = ReLU(conv_ℓ(LN(Z_{ℓ−1}))). A pair's
/// probability is the mean over layers of σ(s_ℓ(u, v)), with s = ⟨z_u, z_v⟩ (FL-CE) or the goodness
/// Σ_k (z_u ⊙ z_v)_k² − θ (FL-FF, FL-SymBa). Embeddings are the layers' outputs side by side, [N, L·H].
/// </summary>
public sealed class ForwardLinkModel : GnnModel
{
    private readonly GraphConv[] _convs;
    private readonly LinkObjective _objective;

    internal ForwardLinkModel(ModelCard card, GraphConv[] convs, LinkObjective objective) : base(card)
    {
        _convs = convs;
        _objective = objective;
    }

    /// <inheritdoc/>
    public override float[] ScorePairs(GraphDataset graph, int[] source, int[] target)
    {
        CheckInput(graph);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var g = new GraphTensors(graph.Edges, CPU);
        var pairs = LinkPairs.From(new LinkSupervision(source, target, new float[source.Length]), CPU);
        Tensor? sum = null;
        foreach (Tensor z in Layers(graph, g, Card.Layers))
        {
            Tensor p = ForwardLinkAlgorithm.Probabilities(_objective, z, pairs);
            sum = sum is null ? p : sum.add(p, One);
        }
        return sum!.div(Of(Card.Layers)).data<float>().ToArray();
    }

    /// <inheritdoc/>
    public override NodeEmbeddings Embed(GraphDataset graph, int? layer = null, IReadOnlyCollection<int>? labelled = null)
    {
        CheckInput(graph);
        CheckLayer(layer);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var g = new GraphTensors(graph.Edges, CPU);
        List<Tensor> outputs = Layers(graph, g, layer ?? Card.Layers).ToList();
        Tensor result = (layer is null ? cat(outputs, 1) : outputs[^1]).contiguous();
        return new NodeEmbeddings(result.data<float>().ToArray(), graph.NumNodes, (int)result.shape[1]);
    }

    /// <summary>Z_1 … Z_depth as the run's evaluation computed them.</summary>
    private IEnumerable<Tensor> Layers(GraphDataset graph, GraphTensors g, int depth)
    {
        Tensor input = FeatureTensor.From(RowNorm.Apply(graph.Features), CPU);
        for (int l = 0; l < depth; l++)
        {
            input = LocalLayer.Infer(_convs[l], input, g, normalized: l == 0);
            yield return input;
        }
    }

    internal override IEnumerable<nn.Module> Modules() => _convs;

    internal override IEnumerable<(string Name, Tensor Value)> Weights() => ConvWeights(_convs);

    internal static ForwardLinkModel Restore(ModelCard card, WeightSource weights, LinkObjective objective) =>
        new(card, weights.Convs(card.Gnn, card.NumFeatures, card.Hidden, card.Layers), objective);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        foreach (GraphConv conv in _convs) conv.Dispose();
    }
}
