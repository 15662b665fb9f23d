using ForwardGnn.Data;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class FeedStreamTests
{
    private static readonly CsrMatrix Features = new(6, 5, [0, 2, 3, 3, 5, 7, 8], [0, 3, 1, 2, 4, 0, 1, 3], [1, 2, 3, 1, 1, 2, 1, 4]);

    /// <summary>FF-LA's label streams: every stream labels nodes 0, 2 and 5, so LN gives them the same row scales.</summary>
    private static readonly Func<int, int>[] LabelOfs = [i => i == 0 || i == 5 ? 1 : i == 2 ? 0 : -1, i => i == 0 || i == 5 ? 2 : i == 2 ? 1 : -1];

    [Theory]
    [InlineData(GnnKind.Gcn, false)]
    [InlineData(GnnKind.Gcn, true)]
    [InlineData(GnnKind.Sage, false)]
    [InlineData(GnnKind.Sage, true)]
    [InlineData(GnnKind.Gat, false)]
    [InlineData(GnnKind.Gat, true)]
    public void StreamsSharingTheFeatureProjectionEqualWholeInputsInValueAndGradient(GnnKind kind, bool sparse)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var graph = new GraphTensors(EdgeIndex.Build(6, [0, 1, 2, 3, 4, 0], [1, 2, 3, 4, 5, 5]), CPU);
        using var blocks = new LocalLayer(GnnLayers.Create(kind, 8, 8), 0.01, 5e-4, normalizeInput: true, cacheFixedInputs: true);
        using var whole = new LocalLayer(GnnLayers.Create(kind, 8, 8), 0.01, 5e-4, normalizeInput: true);
        using (no_grad())
            foreach ((var p, var q) in blocks.Conv.parameters().Zip(whole.Conv.parameters())) q.copy_(p);

        // Blocks as FF-LA builds them, wholes as LN([X ‖ P]) spelled out.
        double[] scales = LabelBlock.NormalizedRowScales(Features, 3, LabelOfs[0]);
        CsrMatrix features = RowNorm.ScaleRows(Features, scales);
        Tensor shared = sparse ? SparseFeatures.Create(features, CPU) : tensor(features.ToDense(), [6, 5]);
        FeedStream[] blockStreams = LabelOfs.Select(f => new FeedStream(shared, tensor(LabelBlock.Normalized(6, 3, f, scales), [6, 3]), graph)).ToArray();
        FeedStream[] wholeStreams = LabelOfs.Select(f => new FeedStream(tensor(RowNorm.Apply(LabelBlock.Append(Features, 3, f)).ToDense(), [6, 8]), graph)).ToArray();

        for (int step = 0; step < 2; step++)   // the second step runs on updated parameters
        {
            blocks.Step(() =>
            {
                using var projections = new SharedProjections(blocks, blockStreams);
                Assert.Same(projections.Of(shared, normalized: true), projections.Of(shared, normalized: true));   // projected once
                return stack(blockStreams.Select(s => s.Forward(blocks, projections)).ToArray()).pow(2).sum();
            });
            whole.Step(() => stack(wholeStreams.Select(s => s.Forward(whole)).ToArray()).pow(2).sum());
            foreach ((var p, var q) in blocks.Conv.parameters().Zip(whole.Conv.parameters()))
            {
                Assert.True(p.grad!.allclose(q.grad!, 1e-4, 1e-6), "gradients differ");
                Assert.True(p.allclose(q, 1e-5, 1e-7), "parameters differ after the step");
            }
        }
        using var _ = no_grad();
        using var frozen = new SharedProjections(blocks, blockStreams);
        for (int s = 0; s < 2; s++)
            Assert.True(blockStreams[s].Advance(blocks, false, frozen).allclose(wholeStreams[s].Advance(whole, false), 1e-5, 1e-6));
        Assert.All(blockStreams, s => Assert.Null(s.Own));
    }

    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void StreamsSharingAnInputOnTheirOwnGraphsEqualThePlainPathInValueAndGradient(GnnKind kind)
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        GraphTensors[] graphs =
        [
            new(EdgeIndex.Build(6, [0, 1, 2, 3, 4, 0], [1, 2, 3, 4, 5, 5]), CPU),
            new(EdgeIndex.Build(6, [5, 1, 2, 2], [0, 0, 4, 3]), CPU),
        ];
        using var shared = new LocalLayer(GnnLayers.Create(kind, 5, 8), 0.01, 5e-4, normalizeInput: true);
        using var plain = new LocalLayer(GnnLayers.Create(kind, 5, 8), 0.01, 5e-4, normalizeInput: true);
        using (no_grad())
            foreach ((var p, var q) in shared.Conv.parameters().Zip(plain.Conv.parameters())) q.copy_(p);
        Tensor activation = randn(6, 5).relu();   // a previous layer's output, as FF-VN's streams share it
        FeedStream[] streams = graphs.Select(g => { var s = new FeedStream(randn(6, 5), g); s.Follow(activation); return s; }).ToArray();
        using var oracle = new SharedProjections(plain, []);   // shares nothing: every stream takes the layer's own path

        for (int step = 0; step < 2; step++)
        {
            shared.Step(() =>
            {
                using var projections = new SharedProjections(shared, streams);
                Assert.True(projections.IsShared(activation));
                return stack(streams.Select(s => s.Forward(shared, projections)).ToArray()).pow(2).sum();
            });
            plain.Step(() => stack(streams.Select(s => s.Forward(plain, oracle)).ToArray()).pow(2).sum());
            foreach ((var p, var q) in shared.Conv.parameters().Zip(plain.Conv.parameters()))
            {
                Assert.True(p.grad!.allclose(q.grad!, 1e-4, 1e-6), "gradients differ");
                Assert.True(p.allclose(q, 1e-5, 1e-7), "parameters differ after the step");
            }
        }
        foreach (GraphTensors graph in graphs) graph.Dispose();
    }

    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void InferenceOfTheTrainedConvEqualsTheLayersForwardBitForBit(GnnKind kind)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        manual_seed(9);
        GraphTensors[] graphs =
        [
            new(EdgeIndex.Build(6, [0, 1, 2, 3, 4, 0], [1, 2, 3, 4, 5, 5]), CPU),
            new(EdgeIndex.Build(6, [5, 1, 2, 2], [0, 0, 4, 3]), CPU),
        ];
        using var layer = new LocalLayer(GnnLayers.Create(kind, 5, 8), 0.01, 5e-4, normalizeInput: true, cacheFixedInputs: true);
        Tensor common = RowNorm.Apply(randn(6, 5)), alone = randn(6, 5).relu();
        FeedStream[] streams = [new(common, graphs[0]), new(common, graphs[1]), new(randn(6, 5), graphs[0])];
        streams[2].Follow(alone);   // a deeper layer's input: normalised inside the layer

        using var forLayer = new SharedProjections(layer, streams);
        using var forConv = new SharedProjections(layer.Conv, cacheFixedInputs: false, streams);
        foreach (FeedStream stream in streams)
            Assert.Equal(Values(stream.Forward(layer, forLayer)), Values(stream.Infer(layer.Conv, forLayer.IsShared(stream.Input) ? forConv : null)));
        foreach (FeedStream stream in streams[..2])   // the common input, aggregated per stream instead of projected once
            Assert.Equal(Values(stream.Forward(layer)), Values(stream.Infer(layer.Conv, null)));

        double[] scales = LabelBlock.NormalizedRowScales(Features, 3, LabelOfs[0]);
        Tensor features = tensor(RowNorm.ScaleRows(Features, scales).ToDense(), [6, 5]);
        using var blocks = new LocalLayer(GnnLayers.Create(kind, 8, 8), 0.01, 5e-4, normalizeInput: true, cacheFixedInputs: true);
        FeedStream[] labelStreams = LabelOfs.Select(f => new FeedStream(features, tensor(LabelBlock.Normalized(6, 3, f, scales), [6, 3]), graphs[0])).ToArray();
        using var forBlocks = new SharedProjections(blocks, labelStreams);
        foreach (FeedStream stream in labelStreams)
            Assert.Equal(Values(stream.Forward(blocks, forBlocks)), Values(stream.Infer(blocks.Conv, null)));
        foreach (GraphTensors graph in graphs) graph.Dispose();
    }

    private static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    [Fact]
    public void ALayerWithCachedAggregatesSharesOnlyInputsWideEnoughToPayForTheSparseProducts()
    {
        using var scope = NewDisposeScope();
        using var graph = new GraphTensors(EdgeIndex.Build(6, [0, 1, 2, 3, 4, 0], [1, 2, 3, 4, 5, 5], symmetrise: false), CPU);   // 6 edges
        using var cached = new LocalLayer(GnnLayers.Create(GnnKind.Gcn, 9, 8), 0.01, 5e-4, normalizeInput: true, cacheFixedInputs: true);
        using var attention = new LocalLayer(GnnLayers.Create(GnnKind.Gat, 9, 8), 0.01, 5e-4, normalizeInput: true);
        Tensor narrow = randn(6, 8), wide = randn(6, 9), alone = randn(6, 9);   // 6 · 8 = 48 ≤ 8 · 6 edges < 6 · 9
        FeedStream[] streams = [.. new[] { narrow, narrow, wide, wide, alone }.Select(x => new FeedStream(x, graph))];

        using var forCached = new SharedProjections(cached, streams);
        Assert.False(forCached.IsShared(narrow));
        Assert.True(forCached.IsShared(wide));
        Assert.False(forCached.IsShared(alone));
        using var forAttention = new SharedProjections(attention, streams);   // no aggregates to cache: share whatever is shared
        Assert.True(forAttention.IsShared(narrow));
    }
}
