using ForwardGnn.Graphs;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Layers;

/// <summary>
/// GraphSAGE convolution with mean aggregation (PyG <c>SAGEConv</c>, root weight on):
/// out_i = W_l · mean_{j→i} x_j + b_l + W_r x_i. Computed as M (x W_lᵀ) + b_l + x W_rᵀ, which is equal because
/// the mean is linear. W_l, W_r [out, in] and b_l [out] use <c>torch.nn.Linear</c>'s initialisation.
/// </summary>
public sealed class SageConv : GraphConv
{
    private readonly Parameter weight;     // [W_l; W_r] stacked: one sparse product projects both
    private readonly Parameter bias;

    /// <summary>A SAGE layer mapping [N, <paramref name="inChannels"/>] to [N, <paramref name="outChannels"/>].</summary>
    public SageConv(int inChannels, int outChannels) : base(nameof(SageConv), inChannels, outChannels)
    {
        weight = new Parameter(empty(2 * outChannels, inChannels));
        bias = new Parameter(empty(outChannels));
        // PyG's order: the constructors of lin_l (W_l, b_l) and lin_r (W_r), then SAGEConv.reset_parameters() again.
        using (Tensor wl = weight.narrow(0, 0, outChannels), wr = weight.narrow(0, outChannels, outChannels))
            for (int draw = 0; draw < 2; draw++)
            {
                Init.KaimingUniform(wl, inChannels);
                Init.KaimingUniform(bias, inChannels);
                Init.KaimingUniform(wr, inChannels);
            }
        RegisterComponents();
    }

    /// <inheritdoc/>
    protected override Tensor ProjectionWeight => weight;

    /// <inheritdoc/>
    protected override Tensor Propagate(Tensor both, GraphTensors graph)
    {
        Tensor neighbours = both.narrow(1, 0, OutChannels);
        Tensor root = both.narrow(1, OutChannels, OutChannels);
        return graph.MeanAdjacency.Multiply(neighbours).add(bias, One).add(root, One);
    }

    /// <inheritdoc/>
    public override Tensor FromProjectionRows(Tensor both, GraphTensors graph, Tensor rows) =>
        graph.MeanAdjacency.MultiplyRows(rows, both.narrow(1, 0, OutChannels)).add(bias, One)
            .add(both.narrow(1, OutChannels, OutChannels).index_select(0, rows), One);

    /// <inheritdoc/>
    public override bool CanPrecomputeAggregation => true;

    /// <inheritdoc/>
    public override Tensor Aggregate(Tensor x, GraphTensors graph) => graph.MeanAdjacency.Multiply(x);

    internal override Tensor AggregateRows(Tensor x, GraphTensors graph, Tensor rows) => graph.MeanAdjacency.MultiplyRows(rows, x);

    /// <inheritdoc/>
    public override Tensor ForwardAggregated(Tensor aggregated, Tensor x) =>
        Project(aggregated, weight.narrow(0, 0, OutChannels)).add(bias, One).add(Project(x, weight.narrow(0, OutChannels, OutChannels)), One);
}
