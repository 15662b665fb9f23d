using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// One layer of a forward-learning model: f(a) = ReLU(conv(LN(a))) (or without LN), with its own Adam. It only
/// ever sees its input detached, so a local loss can never send gradient into another layer.
/// </summary>
internal sealed class LocalLayer : IDisposable
{
    private readonly FusedAdam _optimizer;

    /// <summary>Cached LN(input) (null: the input itself, or not read) and Â-aggregates, for all rows (Rows null) or for the listed rows.</summary>
    private readonly List<(Tensor Input, GraphTensors Graph, Tensor? Rows, Tensor? Normalized, Tensor Aggregated)> _aggregates = [];

    /// <param name="cacheFixedInputs">Layer-wise training feeds the same (frozen) input tensor every epoch, so a
    /// GCN/SAGE layer can aggregate LN(input) once and only learn the linear map afterwards (spec §3.3, valid per
    /// input and graph). Only set it where inputs are never modified in place.</param>
    /// <param name="conv">The layer's graph convolution, trained by this layer's own Adam.</param>
    /// <param name="lr">Adam learning rate.</param>
    /// <param name="weightDecay">Adam L2 weight decay.</param>
    /// <param name="normalizeInput">Apply LN (row L2 normalisation) to the input before the conv.</param>
    public LocalLayer(GraphConv conv, double lr, double weightDecay, bool normalizeInput, bool cacheFixedInputs = false)
    {
        Conv = conv;
        NormalizeInput = normalizeInput;
        CacheFixedInputs = cacheFixedInputs && conv.CanPrecomputeAggregation;
        _optimizer = new FusedAdam(conv.parameters(), lr, weightDecay);
    }

    public GraphConv Conv { get; }
    public bool NormalizeInput { get; }

    /// <summary>
    /// Distributed training: the ranks whose gradients (and losses) each step sums before the update, so every rank
    /// takes the same step on the whole graph's loss. Null: this process is the whole job.
    /// </summary>
    public Distributed.ICommunicator? Ranks { get; init; }
    public bool CacheFixedInputs { get; }

    /// <summary>ReLU(conv(LN(input))) on a detached input. Inputs that are already normalised sparse
    /// features (layer 1) pass <c>normalized: true</c>.</summary>
    public Tensor Forward(Tensor input, GraphTensors graph, bool normalized = false)
    {
        Tensor x = input.requires_grad ? input.detach() : input;
        if (CacheFixedInputs && !x.is_sparse)
        {
            (Tensor ln, Tensor aggregated) = Aggregated(x, graph, normalized);
            return Conv.ForwardAggregated(aggregated, ln).relu_();
        }
        if (NormalizeInput && !normalized) x = RowNorm.Apply(x);
        return Conv.ForwardRelu(x, graph);
    }

    /// <summary>
    /// Rows <paramref name="rows"/> of <see cref="Forward"/>, [|rows|, out]: ReLU(conv(LN(input)))[rows]. Where the
    /// layer caches its fixed input's aggregate, rows are independent once aggregated, so only the listed rows are
    /// computed (their aggregates gathered once per input and row set): a loss that reads only the training rows
    /// pays for the training rows. Elsewhere it is <see cref="Forward"/> followed by <c>index_select</c>.
    /// </summary>
    public Tensor ForwardRows(Tensor input, GraphTensors graph, Tensor rows, bool normalized = false)
    {
        Tensor x = input.requires_grad ? input.detach() : input;
        if (!CacheFixedInputs || x.is_sparse) return Forward(input, graph, normalized).index_select(0, rows);
        (Tensor ln, Tensor aggregated) = Aggregated(x, graph, normalized, rows);
        return Conv.ForwardAggregated(aggregated, ln).relu_();
    }

    /// <summary>
    /// The cached aggregate's rows <paramref name="rows"/>, [|rows|, in], for a layer whose aggregated forward reads
    /// nothing else (GCN): what <see cref="ForwardRows"/> projects. Null where the layer keeps no such cache.
    /// </summary>
    internal Tensor? AggregateRows(Tensor input, GraphTensors graph, Tensor rows, bool normalized = false)
    {
        Tensor x = input.requires_grad ? input.detach() : input;
        if (!CacheFixedInputs || x.is_sparse || Conv.ForwardAggregatedReadsInput) return null;
        return Aggregated(x, graph, normalized, rows).Aggregated;
    }

    /// <summary>
    /// A frozen layer's output computed as <see cref="Forward"/> computes it on a layer that caches fixed inputs (the
    /// same operations in the same order, so the same bits), without a cache: what a trained model's inference runs.
    /// </summary>
    /// <param name="cachedPath">As a layer built with <c>cacheFixedInputs</c> computes it (aggregation first where the
    /// conv allows), or as one without (the conv's own forward).</param>
    /// <param name="conv">The frozen layer's conv.</param>
    /// <param name="input">The layer's input [N, in].</param>
    /// <param name="graph">The graph to propagate over.</param>
    /// <param name="normalized">The input is already row-normalised.</param>
    internal static Tensor Infer(GraphConv conv, Tensor input, GraphTensors graph, bool normalized, bool cachedPath = true)
    {
        if (cachedPath && conv.CanPrecomputeAggregation && !input.is_sparse)
        {
            Tensor ln = normalized ? input : RowNorm.Apply(input);
            return conv.ForwardAggregated(conv.Aggregate(ln, graph), ln).relu_();
        }
        return conv.ForwardRelu(normalized ? input : RowNorm.Apply(input), graph);
    }

    private (Tensor Normalized, Tensor Aggregated) Aggregated(Tensor input, GraphTensors graph, bool normalized, Tensor? rows = null)
    {
        foreach (var entry in _aggregates)
            if (ReferenceEquals(entry.Input, input) && ReferenceEquals(entry.Graph, graph) && ReferenceEquals(entry.Rows, rows))
                return (entry.Normalized ?? (rows is null ? input : entry.Aggregated), entry.Aggregated);
        if (rows is not null)
        {
            (Tensor allLn, Tensor all) = Aggregated(input, graph, normalized);
            using var __ = no_grad();
            // A conv whose aggregated forward ignores its input (GCN) gets the aggregate in its place: nothing is gathered.
            Tensor? lnRows = Conv.ForwardAggregatedReadsInput ? allLn.index_select(0, rows).DetachFromDisposeScope() : null;
            Tensor aggregatedRows = all.index_select(0, rows).DetachFromDisposeScope();
            _aggregates.Add((input, graph, rows, lnRows, aggregatedRows));
            return (lnRows ?? aggregatedRows, aggregatedRows);
        }
        using var _ = no_grad();
        Tensor? ln = NormalizeInput && !normalized ? RowNorm.Apply(input).DetachFromDisposeScope() : null;
        Tensor aggregated = Conv.Aggregate(ln ?? input, graph).DetachFromDisposeScope();
        _aggregates.Add((input, graph, null, ln, aggregated));
        return (ln ?? input, aggregated);
    }

    /// <summary>Frees the cached aggregates (call once the layer is frozen).</summary>
    public void ClearCache()
    {
        foreach (var entry in _aggregates)
        {
            entry.Normalized?.Dispose();
            entry.Aggregated.Dispose();
        }
        _aggregates.Clear();
    }

    /// <summary>ReLU(conv([b₁ ‖ b₂ ‖ …])) on detached, already normalised column blocks (top-down inputs).</summary>
    public Tensor ForwardBlocks(IReadOnlyList<Tensor> blocks, GraphTensors graph) => ForwardBlocks(Conv, blocks, graph);

    /// <summary><see cref="ForwardBlocks(IReadOnlyList{Tensor}, GraphTensors)"/> of any conv (a trained model's inference).</summary>
    internal static Tensor ForwardBlocks(GraphConv conv, IReadOnlyList<Tensor> blocks, GraphTensors graph) =>
        nn.functional.relu(conv.ForwardBlocks(blocks.Select(b => b.requires_grad ? b.detach() : b).ToArray(), graph));

    /// <summary>
    /// ReLU(conv([a ‖ b])) from <paramref name="aProjection"/> = Conv.BlockProjection(a, 0), which a caller can compute
    /// once while a and the parameters stay fixed (a prediction's repeated forwards); b starts at column
    /// <paramref name="bOffset"/>, and b = null stands for a zero block or none: it adds nothing to the projection.
    /// </summary>
    public Tensor ForwardFromProjection(Tensor aProjection, Tensor? b, long bOffset, GraphTensors graph) =>
        ForwardFromProjection(Conv, aProjection, b, bOffset, graph);

    /// <summary><see cref="ForwardFromProjection(Tensor, Tensor?, long, GraphTensors)"/> of any conv (a trained model's inference).</summary>
    internal static Tensor ForwardFromProjection(GraphConv conv, Tensor aProjection, Tensor? b, long bOffset, GraphTensors graph) =>
        conv.FromProjection(b is null ? aProjection : aProjection.add(conv.BlockProjection(b, bOffset), One), graph).relu_();   // a fresh output, as in Forward

    /// <summary>One Adam step on this layer's parameters for <paramref name="localLoss"/> of its output.</summary>
    public float Step(Tensor input, GraphTensors graph, Func<Tensor, Tensor> localLoss, bool normalized = false, double? maxGradNorm = null) =>
        Step(() => localLoss(Forward(input, graph, normalized)), maxGradNorm);

    /// <summary>One Adam step for a loss built from one or more <see cref="Forward"/> calls of this layer.</summary>
    public float Step(Func<Tensor> localLoss, double? maxGradNorm = null)
    {
        _optimizer.ZeroGrad();
        Tensor loss = localLoss();
        loss.backward();
        float value = Ranks is null ? loss.item<float>() : Distributed.GradientSum.AllReduce(Ranks, Conv.parameters(), loss);
        if (maxGradNorm is { } max) nn.utils.clip_grad_norm_(Conv.parameters(), max);
        _optimizer.Step();
        return value;
    }

    /// <summary>
    /// One Adam step with the gradients that <paramref name="setGradients"/> writes (it returns the loss), without
    /// autograd; their joint norm clipped to <paramref name="maxGradNorm"/> where given.
    /// </summary>
    internal float StepWith(Func<float> setGradients, double? maxGradNorm = null)
    {
        _optimizer.ZeroGrad();
        float loss = setGradients();
        if (maxGradNorm is { } max) nn.utils.clip_grad_norm_(Conv.parameters(), max);
        _optimizer.Step();
        return loss;
    }

    private bool _convTaken;

    /// <summary>Hands the trained conv to its new owner (a model): disposing this layer then leaves it alive.</summary>
    public GraphConv TakeConv()
    {
        _convTaken = true;
        return Conv;
    }

    public void Dispose()
    {
        ClearCache();
        _optimizer.Dispose();
        if (!_convTaken) Conv.Dispose();
    }
}
