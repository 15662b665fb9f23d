using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Layers;

/// <summary>
/// Graph attention (PyG <c>GATConv</c>, dropout 0, self-loops replaced by one per node). Per head k:
/// z = x Wᵀ [N, H, C]; e_ij = LeakyReLU_0.2(⟨a_src, z_j⟩ + ⟨a_dst, z_i⟩); α_ij = softmax of e over j ∈ N_in(i) ∪ {i};
/// out_i = Σ_j α_ij z_j. Heads are concatenated ([N, H·C]) or averaged ([N, C]), then the bias is added.
/// W [H·C, in], a_src and a_dst [1, H, C] Glorot; bias zeros.
/// </summary>
public sealed class GatConv : GraphConv
{
    private readonly Parameter weight;
    private readonly Parameter att_src;
    private readonly Parameter att_dst;
    private readonly Parameter bias;

    /// <paramref name="heads"/> heads of <paramref name="channelsPerHead"/> channels each: output width H·C when <paramref name="concat"/>, else C (heads averaged).
    public GatConv(int inChannels, int channelsPerHead, int heads = 4, bool concat = true)
        : base(nameof(GatConv), inChannels, concat ? heads * channelsPerHead : channelsPerHead)
    {
        Heads = heads;
        ChannelsPerHead = channelsPerHead;
        Concat = concat;
        weight = new Parameter(empty(heads * channelsPerHead, inChannels));
        att_src = new Parameter(empty(1, heads, channelsPerHead));
        att_dst = new Parameter(empty(1, heads, channelsPerHead));
        bias = new Parameter(zeros(OutChannels));
        Init.Glorot(weight, draws: 3);   // Linear's constructor, then reset_parameters() resets lin_src and lin_dst, one module
        Init.Glorot(att_src);
        Init.Glorot(att_dst);
        RegisterComponents();
    }

    /// <summary>Slope of the LeakyReLU applied to the attention logits e_ij.</summary>
    public const double NegativeSlope = 0.2;

    /// <summary>Number of attention heads H.</summary>
    public int Heads { get; }
    /// <summary>Channels C per head.</summary>
    public int ChannelsPerHead { get; }
    /// <summary>True when heads are concatenated ([N, H·C]), false when averaged ([N, C]).</summary>
    public bool Concat { get; }

    /// <inheritdoc/>
    protected override Tensor ProjectionWeight => weight;

    /// <inheritdoc/>
    protected override Tensor Propagate(Tensor projected, GraphTensors graph)     // projected: [N, H·C]
    {
        long n = graph.NumNodes;
        Tensor z = projected.view(n, Heads, ChannelsPerHead);
        Tensor scoreSource = z.mul(att_src).sum(-1);                              // [N, H]
        Tensor scoreTarget = z.mul(att_dst).sum(-1);
        Tensor output = projected.device_type == DeviceType.CPU
            ? graph.Attention.Aggregate(graph.Attention.Softmax(scoreSource, scoreTarget, NegativeSlope), projected, Heads)
            : AggregateWithOperators(projected, scoreSource, scoreTarget, graph);
        output = Concat ? output : output.view(n, Heads, ChannelsPerHead).mean([1]);
        return output.add(bias, One);
    }

    /// <summary>The same attention through the graph's sparse operators (devices the fused kernels do not serve).</summary>
    private Tensor AggregateWithOperators(Tensor projected, Tensor scoreSource, Tensor scoreTarget, GraphTensors graph)
    {
        SparseOperator source = graph.AttentionGatherSource, target = graph.AttentionGatherTarget;
        Tensor e = source.Multiply(scoreSource).add(target.Multiply(scoreTarget), One).leaky_relu(HeldScalars.Of(NegativeSlope));   // [E, H]
        Tensor shifted = e.sub(target.Multiply(SegmentMax(e, graph))).exp();
        Tensor alpha = shifted.div(target.Multiply(graph.AttentionScatter.Multiply(shifted)));
        return graph.AttentionScatter.Multiply(source.Multiply(projected).view(graph.AttentionEdgeCount, Heads, ChannelsPerHead)
            .mul(alpha.unsqueeze(-1)).view(graph.AttentionEdgeCount, Heads * ChannelsPerHead));
    }

    /// <summary>
    /// Per-target, per-head maximum of the scores, as a constant: subtracting any per-target constant leaves the
    /// softmax unchanged, and the maximum keeps exp from overflowing. Edges are sorted by target, so each target
    /// owns one contiguous segment. (libtorch's scatter_reduce is not exposed by TorchSharp 0.107.)
    /// </summary>
    private Tensor SegmentMax(Tensor e, GraphTensors graph)
    {
        using Tensor host = e.detach().to_type(ScalarType.Float32).cpu().contiguous();
        ReadOnlySpan<float> scores = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(host.bytes);
        int[] segments = graph.AttentionSegments;
        var max = new float[graph.NumNodes * Heads];
        for (int node = 0; node < graph.NumNodes; node++)
            for (int h = 0; h < Heads; h++)
            {
                float best = float.NegativeInfinity;
                for (int edge = segments[node]; edge < segments[node + 1]; edge++)
                    best = MathF.Max(best, scores[edge * Heads + h]);
                max[node * Heads + h] = best;
            }
        return tensor(max, [graph.NumNodes, Heads], device: e.device).to_type(e.dtype);
    }
}
