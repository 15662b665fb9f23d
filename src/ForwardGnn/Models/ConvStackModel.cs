using ForwardGnn.Data;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>
/// A model whose weights are a stack of convs, conv_1 … conv_L (saved as <c>layers.{l}.{parameter}</c>), and, for the
/// algorithms with virtual class nodes, the class-node features V [C, F] (saved as <c>class_features</c>): every
/// forward-learning model. Subclasses add the prediction rule.
/// </summary>
public abstract class ConvStackModel : GnnModel
{
    private protected ConvStackModel(ModelCard card, GraphConv[] convs, float[]? classFeatures = null) : base(card)
    {
        Convs = convs;
        ClassFeatures = classFeatures;
    }

    /// <summary>conv_1 … conv_L.</summary>
    private protected GraphConv[] Convs { get; }

    /// <summary>V [C, F] row-major, or null for models without class nodes.</summary>
    private protected float[]? ClassFeatures { get; }

    /// <summary>
    /// Z_1 … Z_depth, Z_l = conv_l(Z_{l−1}) [N, H], from Z_0 = the graph's row-normalised features [N, F], each as the
    /// run's evaluation computed it (<see cref="LocalLayer.Infer"/>), one layer per item enumerated.
    /// </summary>
    /// <param name="graph">The graph whose features start the stack.</param>
    /// <param name="g">Its edges as tensors.</param>
    /// <param name="depth">How many layers to run, 1..L.</param>
    /// <param name="cachedPath">As a layer that cached its fixed inputs computed it, or by the conv's own forward.</param>
    private protected IEnumerable<Tensor> LayerOutputs(GraphDataset graph, GraphTensors g, int depth, bool cachedPath = true) =>
        LayerOutputs(FeatureTensor.From(RowNorm.Apply(graph.Features), CPU), g, depth, cachedPath);

    /// <summary>Z_1 … Z_depth as <see cref="LayerOutputs(GraphDataset, GraphTensors, int, bool)"/>, from Z_0 = <paramref name="features"/> [N, F], row-normalised.</summary>
    private protected IEnumerable<Tensor> LayerOutputs(Tensor features, GraphTensors g, int depth, bool cachedPath = true)
    {
        Tensor input = features;
        for (int l = 0; l < depth; l++)
        {
            input = LocalLayer.Infer(Convs[l], input, g, normalized: l == 0, cachedPath);
            yield return input;
        }
    }

    internal override IEnumerable<nn.Module> Modules() => Convs;

    internal override IEnumerable<(string Name, Tensor Value)> Weights() => ClassFeatures is null
        ? ConvWeights(Convs)
        : ConvWeights(Convs).Append(("class_features", tensor(ClassFeatures, Card.NumClasses, Card.NumFeatures)));

    /// <summary>The class-node features of a saved model, [C, F] row-major.</summary>
    private protected static float[] ClassFeaturesOf(ModelCard card, WeightSource weights) =>
        weights.Get("class_features", [card.NumClasses, card.NumFeatures]).data<float>().ToArray();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        foreach (GraphConv conv in Convs) conv.Dispose();
    }
}
