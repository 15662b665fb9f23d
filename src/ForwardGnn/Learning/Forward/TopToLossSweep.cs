using ForwardGnn.Data;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// SF-Top-To-Loss's bottom-up sweep and prediction (spec §4.5) for layers g_ℓ(z) = ReLU(conv_ℓ(z)) on G′.
/// The sweep chains raw activations from the raw features, u_ℓ = g_ℓ(u_ℓ₋₁), keeps the states s_ℓ = LN(u_ℓ)
/// (s₀ = LN(X_aug)) and, beside them, z_ℓ = g_ℓ(s_ℓ₋₁), what a prediction feeds layer ℓ. LN is a row scaling, so z_ℓ
/// comes from the same projection of u_ℓ₋₁ as u_ℓ (<see cref="GraphConv.FromProjection"/>): one linear map per layer
/// instead of two. Shapes: states and outputs [N + C, H] each, or [|rows|, H] when rows are given.
/// </summary>
internal sealed class TopToLossSweep
{
    private readonly IReadOnlyList<GraphConv> convs;
    private readonly GraphTensors graph;
    private readonly Tensor virtualNodes, raw, normalized, _rawScales;
    private readonly double _temperature;

    /// <summary>The sweep of a run, over its augmented graph.</summary>
    /// <param name="raw">X_aug as sparse features, [N + C, F].</param>
    /// <param name="normalized">LN(X_aug) as sparse features, [N + C, F].</param>
    /// <param name="convs">conv_1 … conv_L.</param>
    /// <param name="setup">The run's augmented graph, features and node sets.</param>
    public TopToLossSweep(IReadOnlyList<GraphConv> convs, SingleForwardGraph setup, Tensor raw, Tensor normalized)
        : this(convs, setup.Graph, setup.Augmenter.Features, setup.Nodes.Virtual, raw, normalized, setup.Temperature)
    {
    }

    /// <summary>The sweep over any augmented graph (a trained model's inference).</summary>
    /// <param name="features">X_aug, whose row norms scale the raw chain's first layer.</param>
    /// <param name="virtualNodes">The class nodes' ids, [C].</param>
    /// <param name="raw">X_aug as sparse features, [N + C, F].</param>
    /// <param name="normalized">LN(X_aug) as sparse features, [N + C, F].</param>
    /// <param name="convs">conv_1 … conv_L.</param>
    /// <param name="graph">The augmented graph.</param>
    /// <param name="temperature">τ of the class scores.</param>
    public TopToLossSweep(IReadOnlyList<GraphConv> convs, GraphTensors graph, CsrMatrix features, Tensor virtualNodes, Tensor raw, Tensor normalized,
        double temperature)
    {
        _temperature = temperature;
        this.convs = convs;
        this.graph = graph;
        this.virtualNodes = virtualNodes;
        this.raw = raw;
        this.normalized = normalized;
        _rawScales = tensor(RowNorm.Scales(features), device: graph.Device).unsqueeze(1);
    }

    public int Depth => convs.Count;

    /// <summary>
    /// s₀..s_L and z₁..z_L (index 0 unused) without gradient, only <paramref name="rows"/> of them if given (and then s₀ is null:
    /// a prediction never reads it, and selecting rows of the sparse features costs as much as a layer). Layer 1
    /// projects the normalised features once, P = LN(X_aug) W₁ᵀ [N′, H]: z₁ aggregates P, and the raw chain's
    /// X_aug W₁ᵀ is P with its rows scaled back by ‖x_i‖. A caller that holds P for the same W₁ passes it as
    /// <paramref name="firstProjection"/>.
    /// </summary>
    public (Tensor[] States, Tensor[] Outputs) Run(Tensor? rows = null, Tensor? firstProjection = null)
    {
        using var _ = no_grad();
        Tensor Kept(Tensor t) => rows is null ? t : t.index_select(0, rows);
        var s = new Tensor[Depth + 1];
        var z = new Tensor[Depth + 1];
        s[0] = rows is null ? normalized : null!;   // see the summary
        Tensor u = raw, scales = _rawScales;
        for (int l = 1; l <= Depth; l++)
        {
            using var layerScope = NewDisposeScope();
            GraphConv conv = convs[l - 1];
            if (l == Depth && l > 1 && rows is not null && conv.CanPrecomputeAggregation)
            {
                // The chain ends here and only the kept rows are read: aggregate them first (the conv is linear up to
                // its bias), then project |rows| rows instead of every row.
                Tensor ln = u.mul(scales);
                z[l] = nn.functional.relu(conv.ForwardAggregated(conv.AggregateRows(ln, graph, rows), ln.index_select(0, rows))).MoveToOuterDisposeScope();
                u = nn.functional.relu(conv.ForwardAggregated(conv.AggregateRows(u, graph, rows), u.index_select(0, rows)));
                s[l] = u.mul(RowNorm.Scales(u)).MoveToOuterDisposeScope();
                break;
            }
            Tensor scaled, projected;   // the projections of LN(u) and of u
            if (l == 1)
            {
                scaled = firstProjection ?? conv.Projection(normalized);
                projected = scaled.div(scales);
            }
            else
            {
                projected = conv.Projection(u);
                scaled = projected.mul(scales);
            }
            z[l] = nn.functional.relu(rows is null ? conv.FromProjection(scaled, graph) : conv.FromProjectionRows(scaled, graph, rows))
                .MoveToOuterDisposeScope();
            bool top = l == Depth && rows is not null;   // the chain ends here: only the kept rows of u_L are read (a conv that cannot aggregate first)
            u = (top ? nn.functional.relu(conv.FromProjectionRows(projected, graph, rows!)) : conv.FromProjectionRelu(projected, graph)).MoveToOuterDisposeScope();
            scales = RowNorm.Scales(u).MoveToOuterDisposeScope();
            s[l] = (top ? u : Kept(u)).mul(top ? scales : Kept(scales)).MoveToOuterDisposeScope();
        }
        return (s, z);
    }

    /// <summary>
    /// a_ℓ = Σ_{ℓ&lt;k≤L} s_k for ℓ = 1 … L − 1, summed from the top down (a_{L−1} = s_L, a_ℓ = s_{ℓ+1} + a_{ℓ+1}), null at
    /// ℓ = L and unused at 0: what layer ℓ's merge adds to its output, on whatever rows <paramref name="state"/>(k) holds.
    /// One sum per layer serves every layer's merge.
    /// </summary>
    public static Tensor?[] SumsAbove(int depth, Func<int, Tensor> state)
    {
        var sums = new Tensor?[depth + 1];
        for (int l = depth - 1; l >= 1; l--) sums[l] = l == depth - 1 ? state(depth) : state(l + 1).add(sums[l + 1]!, One);
        return sums;
    }

    /// <summary>
    /// a_ℓ of <see cref="SumsAbove"/> alone, summed in the same order (bit for bit the same): for a layer that needs
    /// only its own.
    /// </summary>
    public static Tensor? SumAbove(int layer, int depth, Func<int, Tensor> state)
    {
        if (layer >= depth) return null;
        Tensor sum = state(depth);
        for (int k = depth - 1; k > layer; k--) sum = state(k).add(sum, One);
        return sum;
    }

    /// <summary>
    /// Layer ℓ's merge mean(z, s_ℓ₊₁, …, s_L) = (z + a_ℓ) / m with m = L − ℓ + 1 (just z at the top, where
    /// <paramref name="above"/> = a_L is null), on whatever rows z and a_ℓ (<see cref="SumsAbove"/>) hold: only the rows
    /// a score reads need it.
    /// </summary>
    public static Tensor Merged(Tensor z, Tensor? above, int merges) =>
        above is null ? z
        : !z.requires_grad && RowKernels.CanRead(z) && RowKernels.CanRead(above) && z.shape.SequenceEqual(above.shape) ? RowKernels.MeanWith(z, above, merges)
        : z.add(above, One).div_(HeldScalars.Of(merges));   // in place on the sum: add's backward reads neither

    /// <summary>
    /// T2L_predict's votes for the nodes <paramref name="subset"/>: Σ_ℓ softmax(m_ℓ[Q] · m_ℓ[VN]ᵀ / τ), [|Q|, C];
    /// <paramref name="firstProjection"/> as in <see cref="Run"/>.
    /// </summary>
    public Tensor Votes(Tensor subset, Tensor? firstProjection = null)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var rows = ScoredRows.Of(subset, virtualNodes, _temperature);
        (Tensor[] s, Tensor[] z) = Run(rows.All, firstProjection);
        Tensor votes = zeros(subset.shape[0], virtualNodes.shape[0], device: graph.Device);
        Tensor?[] above = SumsAbove(Depth, k => s[k]);
        for (int l = 1; l <= Depth; l++) votes = votes.add(rows.Scores(Merged(z[l], above[l], Depth - l + 1)).softmax(1), One);
        return votes.MoveToOuterDisposeScope();
    }

    /// <summary>The merges m_1 … m_L on every row, [N + C, H] each: what the votes score (a model's embeddings).</summary>
    public Tensor[] Merges()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        (Tensor[] s, Tensor[] z) = Run();
        Tensor?[] above = SumsAbove(Depth, k => s[k]);
        return Enumerable.Range(1, Depth).Select(l => Merged(z[l], above[l], Depth - l + 1).MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>Accuracy (%) of <see cref="Votes"/> against the labels; <paramref name="firstProjection"/> as in <see cref="Run"/>.</summary>
    public double Accuracy(Tensor subset, Tensor labels, Tensor? firstProjection = null)
    {
        using var votes = Votes(subset, firstProjection);
        return SingleForwardGraph.Accuracy(votes, labels);
    }
}
