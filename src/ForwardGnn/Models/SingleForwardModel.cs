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
/// A model trained by SF (single forward, spec §4.4): layers Z_ℓ = ReLU(conv_ℓ(LN(Z_{ℓ−1}))) over the graph augmented
/// with one virtual node per class (features V [C, F], fixed), linked both ways to the labelled nodes of its class.
/// Node q's class scores are Σ_ℓ softmax(Z_ℓ[q] · Z_ℓ[VN]ᵀ / τ) [C] over the layers; its prediction is their argmax.
/// The run's test evaluation labels the training nodes (<see cref="LabelledForTest"/>).
/// </summary>
public sealed class SingleForwardModel : GnnModel
{
    private readonly GraphConv[] _convs;
    private readonly float[] _classFeatures;

    internal SingleForwardModel(ModelCard card, GraphConv[] convs, float[] classFeatures) : base(card)
    {
        _convs = convs;
        _classFeatures = classFeatures;
    }

    /// <inheritdoc/>
    public override IReadOnlyCollection<int> LabelledForTest(NodeSplit split) => split.Train;

    /// <inheritdoc/>
    public override NodePredictions Predict(GraphDataset graph, IReadOnlyList<int>? nodes = null, IReadOnlyCollection<int>? labelled = null)
    {
        CheckInput(graph);
        int[] query = nodes?.ToArray() ?? Enumerable.Range(0, graph.NumNodes).ToArray();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var forward = new Forward(this, graph, labelled);
        Tensor q = tensor(query.Select(i => (long)i).ToArray());
        Tensor votes = zeros(query.Length, Card.NumClasses);
        foreach (Tensor z in forward.Layers(Card.Layers))
            votes = votes.add(SingleForwardAlgorithm.Scores(z, q, forward.Virtual).softmax(1), One);
        return new NodePredictions(query, votes.argmax(1).data<long>().Select(c => (int)c).ToArray(), votes.data<float>().ToArray(), Card.NumClasses);
    }

    /// <inheritdoc/>
    public override NodeEmbeddings Embed(GraphDataset graph, int? layer = null, IReadOnlyCollection<int>? labelled = null)
    {
        CheckInput(graph);
        CheckLayer(layer);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var forward = new Forward(this, graph, labelled);
        List<Tensor> outputs = forward.Layers(layer ?? Card.Layers).Select(z => z.narrow(0, 0, graph.NumNodes)).ToList();   // the real nodes
        Tensor result = layer is null ? cat(outputs, 1) : outputs[^1];
        return new NodeEmbeddings(result.contiguous().data<float>().ToArray(), graph.NumNodes, (int)result.shape[1]);
    }

    internal override IEnumerable<nn.Module> Modules() => _convs;

    internal override IEnumerable<(string Name, Tensor Value)> Weights() =>
        ConvWeights(_convs).Append(("class_features", tensor(_classFeatures, Card.NumClasses, Card.NumFeatures)));

    internal static SingleForwardModel Restore(ModelCard card, WeightSource weights)
    {
        float[] classFeatures = weights.Get("class_features", [card.NumClasses, card.NumFeatures]).data<float>().ToArray();
        return new SingleForwardModel(card, weights.Convs(card.Gnn, card.NumFeatures, card.Hidden, card.Layers), classFeatures);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        foreach (GraphConv conv in _convs) conv.Dispose();
    }

    /// <summary>The augmented graph of one inference and the layers' outputs over it, [N + C, H] each.</summary>
    private sealed class Forward : IDisposable
    {
        private readonly SingleForwardModel _model;
        private readonly GraphTensors _graph;
        private readonly Tensor _input;

        public Forward(SingleForwardModel model, GraphDataset data, IReadOnlyCollection<int>? labelled)
        {
            _model = model;
            data = data with { NumClasses = model.Card.NumClasses };   // the class nodes are the model's
            var augmenter = new VirtualNodeAugmenter(data, model._classFeatures);
            _graph = new GraphTensors(augmenter.Augment(data.Labels, augmenter.Mask(labelled ?? [])), CPU);
            _input = FeatureTensor.From(RowNorm.Apply(augmenter.Features), CPU);
            Virtual = tensor(Enumerable.Range(0, data.NumClasses).Select(c => (long)augmenter.VirtualNode(c)).ToArray());
        }

        /// <summary>The virtual class nodes' ids.</summary>
        public Tensor Virtual { get; }

        /// <summary>Z_1 … Z_depth, each computed as the run's evaluation computed it.</summary>
        public IEnumerable<Tensor> Layers(int depth)
        {
            Tensor input = _input;
            for (int l = 0; l < depth; l++)
            {
                input = LocalLayer.Infer(_model._convs[l], input, _graph, normalized: l == 0);
                yield return input;
            }
        }

        public void Dispose() => _graph.Dispose();
    }
}
