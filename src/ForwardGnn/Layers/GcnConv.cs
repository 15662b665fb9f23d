using ForwardGnn.Graphs;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Layers;

/// <summary>
/// GCN convolution (PyG <c>GCNConv</c>, default options): out = Â (x Wᵀ) + b, with Â = D^−½ (A + I) D^−½.
/// W [out, in] Glorot, b [out] zeros. Shapes: x [N, in] → [N, out].
/// </summary>
public sealed class GcnConv : GraphConv
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    /// <summary>A GCN layer mapping [N, <paramref name="inChannels"/>] to [N, <paramref name="outChannels"/>].</summary>
    public GcnConv(int inChannels, int outChannels) : base(nameof(GcnConv), inChannels, outChannels)
    {
        weight = new Parameter(empty(outChannels, inChannels));
        bias = new Parameter(zeros(outChannels));
        Init.Glorot(weight, draws: 2);   // Linear's constructor, then GCNConv.reset_parameters()
        RegisterComponents();
    }

    /// <inheritdoc/>
    protected override Tensor ProjectionWeight => weight;

    /// <summary>W [out, in].</summary>
    internal Parameter Weight => weight;

    /// <summary>b [out].</summary>
    internal Parameter Bias => bias;

    /// <inheritdoc/>
    protected override Tensor Propagate(Tensor projected, GraphTensors graph) =>
        graph.GcnAdjacency.MultiplyAddBias(projected, bias, relu: false);

    /// <inheritdoc/>
    protected override Tensor PropagateRelu(Tensor projected, GraphTensors graph) =>
        graph.GcnAdjacency.MultiplyAddBias(projected, bias, relu: true);

    /// <inheritdoc/>
    public override Tensor FromProjectionRows(Tensor projected, GraphTensors graph, Tensor rows) =>
        graph.GcnAdjacency.MultiplyRows(rows, projected).add(bias, One);

    /// <inheritdoc/>
    public override bool CanPrecomputeAggregation => true;

    /// <inheritdoc/>
    public override Tensor Aggregate(Tensor x, GraphTensors graph) => graph.GcnAdjacency.Multiply(x);

    internal override Tensor AggregateRows(Tensor x, GraphTensors graph, Tensor rows) => graph.GcnAdjacency.MultiplyRows(rows, x);

    internal override bool ForwardAggregatedReadsInput => false;

    /// <inheritdoc/>
    public override Tensor ForwardAggregated(Tensor aggregated, Tensor x) => Project(aggregated, weight).add(bias, One);
}
