using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Backprop;

/// <summary>
/// PyG 2.2's <c>BasicGNN</c> (GCN / GraphSAGE / GAT) as the BP baseline builds it: L convs, ReLU after every conv
/// but the last, no dropout. With <c>outChannels</c> given (node classification) the convs are
/// in → H → … → H → out and a GAT output layer averages its 4 heads; without (link prediction) every conv outputs H
/// and GAT concatenates everywhere. Shapes: x [N, in] → [N, out or H].
/// </summary>
internal sealed class BasicGnn : nn.Module<Tensor, GraphTensors, Tensor>
{
    private readonly ModuleList<GraphConv> convs = new();

    public BasicGnn(GnnKind kind, int inChannels, int hidden, int layers, int? outChannels) : base(nameof(BasicGnn))
    {
        for (int l = 0; l < layers; l++)
        {
            bool last = l == layers - 1;
            int input = l == 0 ? inChannels : hidden;
            int output = last && outChannels is { } o ? o : hidden;
            convs.Add(GnnLayers.Create(kind, input, output, averageHeads: last && outChannels is not null));
        }
        RegisterComponents();
    }

    /// <summary>The convs in order (PEPITA updates them one at a time).</summary>
    public IReadOnlyList<GraphConv> Convs => [.. convs];

    public override Tensor forward(Tensor x, GraphTensors graph) => Forward(x, graph, hidden: null);

    /// <summary>The forward pass, also collecting every hidden activation ReLU(conv_ℓ(·)), ℓ &lt; L, into <paramref name="hidden"/>.</summary>
    public Tensor Forward(Tensor x, GraphTensors graph, List<Tensor>? hidden)
    {
        for (int l = 0; l < convs.Count - 1; l++)
        {
            x = convs[l].ForwardRelu(x, graph);
            hidden?.Add(x);
        }
        return convs[^1].call(x, graph);
    }
}
