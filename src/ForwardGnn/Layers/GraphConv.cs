using ForwardGnn.Graphs;
using TorchSharp;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Layers;

/// <summary>
/// A graph convolution: maps node features x [N, in] (dense or sparse COO) on a graph to [N, out]. Subclasses
/// follow PyTorch Geometric 2.2's conv of the same name, parameters and initialisation included. Every conv starts
/// with one linear projection x Wᵀ (<see cref="ProjectionWeight"/>) followed by message passing
/// (<see cref="Propagate"/>), which lets an input made of column blocks [x₁ ‖ x₂ ‖ …] be projected block by block
/// (<see cref="ForwardBlocks"/>) without materialising the concatenation.
/// </summary>
public abstract class GraphConv(string name, int inChannels, int outChannels) : nn.Module<Tensor, GraphTensors, Tensor>(name)
{
    /// <summary>Input width: x is [N, InChannels].</summary>
    public int InChannels { get; } = inChannels;
    /// <summary>Output width: forward returns [N, OutChannels].</summary>
    public int OutChannels { get; } = outChannels;

    /// <summary>W [projected width, in] of the first linear map.</summary>
    protected abstract Tensor ProjectionWeight { get; }

    /// <summary>Everything after the projection: aggregation, attention, bias.</summary>
    protected abstract Tensor Propagate(Tensor projected, GraphTensors graph);

    // Sealed: ForwardRelu must stay ReLU(forward), so convs change Propagate, never forward itself.
    /// <summary>The conv's output Propagate(x Wᵀ), x [N, in] (dense or sparse) → [N, out].</summary>
    public sealed override Tensor forward(Tensor x, GraphTensors graph) => Propagate(Project(x, ProjectionWeight), graph);

    /// <summary>ReLU(forward(x)), [N, out].</summary>
    public Tensor ForwardRelu(Tensor x, GraphTensors graph) => PropagateRelu(Project(x, ProjectionWeight), graph);

    /// <summary>ReLU(<see cref="Propagate"/>): convs that end in a fixed sparse product apply the ReLU inside it.</summary>
    protected virtual Tensor PropagateRelu(Tensor projected, GraphTensors graph) =>
        Propagate(projected, graph).relu_();   // in place: the conv output is a fresh tensor no backward reads

    /// <summary>The conv's first linear map x Wᵀ alone: x [N, in] (dense or sparse) → [N, projected width].</summary>
    public Tensor Projection(Tensor x) => Project(x, ProjectionWeight);

    /// <summary>
    /// The conv's output from a <see cref="Projection"/>: forward(x) = FromProjection(Projection(x)). Because the
    /// projection is linear, forward(D x) = FromProjection(D · Projection(x)) for a row scaling D (such as LN), so
    /// one projection serves an input and its row-normalised copy.
    /// </summary>
    public Tensor FromProjection(Tensor projected, GraphTensors graph) => Propagate(projected, graph);

    /// <summary>ReLU(<see cref="FromProjection"/>), in one pass where the conv fuses the activation into its propagation.</summary>
    internal Tensor FromProjectionRelu(Tensor projected, GraphTensors graph) => PropagateRelu(projected, graph);

    /// <summary>The rows <paramref name="rows"/> of <see cref="FromProjection"/>, [|rows|, out], for inference: convs
    /// with fixed-weight aggregation compute only those rows.</summary>
    public virtual Tensor FromProjectionRows(Tensor projected, GraphTensors graph, Tensor rows) =>
        Propagate(projected, graph).index_select(0, rows);

    /// <summary>The conv applied to the column concatenation of <paramref name="blocks"/> (widths must sum to in).</summary>
    public Tensor ForwardBlocks(IReadOnlyList<Tensor> blocks, GraphTensors graph)
    {
        Tensor? projected = null;
        long offset = 0;
        foreach (Tensor block in blocks)
        {
            Tensor part = BlockProjection(block, offset);
            projected = projected is null ? part : projected.add(part, One);
            offset += block.shape[1];
        }
        if (offset != InChannels) throw new ArgumentException($"blocks have {offset} columns but the conv takes {InChannels}");
        return Propagate(projected!, graph);
    }

    /// <summary>
    /// One column block's share of the projection: x_b W_bᵀ, where W_b are the columns offset … offset + width − 1 of
    /// W; x_b [N, width] (dense or sparse) → [N, projected width]. <see cref="ForwardBlocks"/> is
    /// FromProjection(Σ_b BlockProjection(x_b, offset_b)), so a block that stays fixed while W does can be projected
    /// once, and a block of zeros contributes nothing.
    /// </summary>
    public Tensor BlockProjection(Tensor block, long offset) => Project(block, ProjectionWeight.narrow(1, offset, block.shape[1]));

    /// <summary>
    /// forward(x + u vᵀ) without materialising the shifted input: the projection is linear, so
    /// (x + u vᵀ) Wᵀ = x Wᵀ + u (W v)ᵀ. x [N, in] (dense or sparse), u [N, r], v [in, r] → [N, out].
    /// </summary>
    public Tensor ForwardShifted(Tensor x, Tensor u, Tensor v, GraphTensors graph) =>
        Propagate(Project(x, ProjectionWeight).add(u.matmul(ProjectionWeight.matmul(v).t()), One), graph);

    /// <summary>
    /// True when the conv can be split into a fixed-weight aggregation of its input (<see cref="Aggregate"/>) and a
    /// learned map of that aggregate and the input (<see cref="ForwardAggregated"/>). GCN and SAGE can: their
    /// aggregation is linear with fixed weights, so A (x Wᵀ) = (A x) Wᵀ. Attention cannot.
    /// </summary>
    public virtual bool CanPrecomputeAggregation => false;

    /// <summary>The fixed-weight aggregation of the input, e.g. Â x for GCN.</summary>
    public virtual Tensor Aggregate(Tensor x, GraphTensors graph) => throw new NotSupportedException();

    /// <summary>Rows <paramref name="rows"/> of <see cref="Aggregate"/>, [|rows|, in], for a dense x: only those rows of the operator are read.</summary>
    internal virtual Tensor AggregateRows(Tensor x, GraphTensors graph, Tensor rows) => Aggregate(x, graph).index_select(0, rows);

    /// <summary>Whether <see cref="ForwardAggregated"/> reads its input x (SAGE's root term) or only the aggregate (GCN).</summary>
    internal virtual bool ForwardAggregatedReadsInput => true;

    /// <summary>The conv's output from a precomputed <see cref="Aggregate"/> and the input: equal to forward(x).</summary>
    public virtual Tensor ForwardAggregated(Tensor aggregated, Tensor x) => throw new NotSupportedException();

    /// <summary>x Wᵀ for dense or sparse x (<see cref="SparseFeatures"/>).</summary>
    protected static Tensor Project(Tensor x, Tensor weight) => SparseFeatures.Project(x, weight);
}
