using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Backprop;

/// <summary>
/// PyG 2.2's <c>BasicGNN</c> (GCN / GraphSAGE / GAT) as the BP baseline builds it: L convs, ReLU after every conv
/// but the last, and dropout (rate p, default 0: none, the paper's setting) after every ReLU in
/// <see cref="TrainingForward"/> only. With <c>outChannels</c> given (node classification) the convs are
/// in → H → … → H → out and a GAT output layer averages its 4 heads; without (link prediction) every conv outputs H
/// and GAT concatenates everywhere. Shapes: x [N, in] → [N, out or H].
/// </summary>
internal sealed class BasicGnn : nn.Module<Tensor, GraphTensors, Tensor>
{
    private readonly ModuleList<GraphConv> convs = new();

    /// <param name="kind">The conv of every layer.</param>
    /// <param name="inChannels">F, the input features.</param>
    /// <param name="hidden">H, every hidden layer's width.</param>
    /// <param name="layers">L, the convs.</param>
    /// <param name="outChannels">C, the last conv's width (node classification); null: H (link prediction).</param>
    /// <param name="dropout">p, the dropout rate of every hidden activation in training (0 ≤ p &lt; 1; 0: none).</param>
    public BasicGnn(GnnKind kind, int inChannels, int hidden, int layers, int? outChannels, double dropout = 0) : base(nameof(BasicGnn))
    {
        if (!(dropout is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "must be in [0, 1)");
        Dropout = dropout;
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

    /// <summary>p, the dropout rate of every hidden activation in <see cref="TrainingForward"/> (0: none).</summary>
    public double Dropout { get; }

    public override Tensor forward(Tensor x, GraphTensors graph) => Forward(x, graph, hidden: null);

    /// <summary>The forward pass (no dropout), also collecting every hidden activation ReLU(conv_ℓ(·)), ℓ &lt; L, into <paramref name="hidden"/>.</summary>
    public Tensor Forward(Tensor x, GraphTensors graph, List<Tensor>? hidden) => Forward(x, graph, hidden, masks: null, drop: false);

    /// <summary>
    /// The training forward pass: h_ℓ = m_ℓ ⊙ ReLU(conv_ℓ(h_{ℓ−1})) for ℓ &lt; L, with m_ℓ [N, H] drawn anew, entries
    /// Bernoulli(1 − p) / (1 − p) (inverted dropout), and logits conv_L(h_{L−1}) [N, out]. Collects every h_ℓ into
    /// <paramref name="hidden"/> and every m_ℓ into <paramref name="masks"/> when given. With p = 0 it draws nothing and
    /// is <see cref="Forward(Tensor, GraphTensors, List{Tensor})"/> (no masks are collected).
    /// </summary>
    public Tensor TrainingForward(Tensor x, GraphTensors graph, List<Tensor>? hidden = null, List<Tensor>? masks = null) =>
        Forward(x, graph, hidden, masks, drop: Dropout > 0);

    private Tensor Forward(Tensor x, GraphTensors graph, List<Tensor>? hidden, List<Tensor>? masks, bool drop)
    {
        for (int l = 0; l < convs.Count - 1; l++)
        {
            x = convs[l].ForwardRelu(x, graph);
            if (drop)
            {
                Tensor mask = empty_like(x).bernoulli_(1 - Dropout).div_(HeldScalars.Of(1 - Dropout));
                masks?.Add(mask);
                x = x.mul(mask);
            }
            hidden?.Add(x);
        }
        return convs[^1].call(x, graph);
    }
}
