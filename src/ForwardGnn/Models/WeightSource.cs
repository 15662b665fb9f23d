using ForwardGnn.Data;
using ForwardGnn.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>Weights read from a model folder, copied into freshly built modules by name with their shapes checked.</summary>
internal sealed class WeightSource(string path, IReadOnlyDictionary<string, Tensor> weights)
{
    /// <summary>Copies every parameter and buffer of <paramref name="module"/> from the weights named <c>prefix + name</c>.</summary>
    public void LoadInto(nn.Module module, string prefix)
    {
        using var _ = no_grad();
        foreach ((string name, Tensor target) in module.state_dict())
            target.copy_(Get(prefix + name, target.shape));
    }

    /// <summary>Convs of the given widths, each loaded from <c>layers.{l}.</c>.</summary>
    public GraphConv[] Convs(GnnKind kind, int inputWidth, int hidden, int layers) =>
        Convs(kind, l => l == 0 ? inputWidth : hidden, hidden, layers);

    /// <summary>Convs of input widths <paramref name="inputWidth"/>(l) (l = 0..L−1) and output <paramref name="hidden"/>, each loaded from <c>layers.{l}.</c>.</summary>
    public GraphConv[] Convs(GnnKind kind, Func<int, int> inputWidth, int hidden, int layers) =>
        Enumerable.Range(0, layers).Select(l =>
        {
            GraphConv conv = GnnLayers.Create(kind, inputWidth(l), hidden);
            LoadInto(conv, $"layers.{l}.");
            return conv;
        }).ToArray();

    /// <summary>The weight <paramref name="name"/>, which must have <paramref name="shape"/>.</summary>
    public Tensor Get(string name, long[] shape)
    {
        if (!weights.TryGetValue(name, out Tensor? value)) throw new DataFormatException(path, $"has no tensor {name}");
        if (!value.shape.SequenceEqual(shape))
            throw new DataFormatException(path, $"tensor {name} has shape [{Data.EchoedText.Shorten(string.Join(", ", value.shape))}], the model needs [{string.Join(", ", shape)}]");
        return value;
    }
}
