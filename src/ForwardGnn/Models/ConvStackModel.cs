using ForwardGnn.Layers;
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
