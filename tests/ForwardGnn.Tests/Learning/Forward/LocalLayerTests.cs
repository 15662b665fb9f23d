using ForwardGnn.Data;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class LocalLayerTests
{
    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void NoGradientCrossesALayerBoundary(GnnKind kind)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var graph = new GraphTensors(EdgeIndex.Build(6, [0, 1, 2, 3, 4], [1, 2, 3, 4, 5]), CPU);
        using var lower = new LocalLayer(GnnLayers.Create(kind, 5, 8), 0.01, 5e-4, normalizeInput: true);
        using var upper = new LocalLayer(GnnLayers.Create(kind, 8, 8), 0.01, 5e-4, normalizeInput: true);
        Tensor x = randn(6, 5);

        // The lower layer's output still carries its autograd graph, as a careless caller might pass it on.
        Tensor hidden = lower.Forward(x, graph);
        Assert.True(hidden.requires_grad);
        Tensor[] before = lower.Conv.parameters().Select(p => p.detach().clone()).ToArray();
        Tensor[] upperBefore = upper.Conv.parameters().Select(p => p.detach().clone()).ToArray();

        upper.Step(hidden, graph, z => z.pow(2).sum());

        var lowerParameters = lower.Conv.parameters().ToArray();
        for (int i = 0; i < before.Length; i++)
        {
            Assert.True(before[i].eq(lowerParameters[i]).all().item<bool>(), "a lower-layer parameter changed");
            Assert.Null(lowerParameters[i].grad);
        }
        Assert.Contains(upper.Conv.parameters().Zip(upperBefore), p => !p.First.allclose(p.Second, 0, 0));
    }
}

public class LocalLayerCacheTests
{
    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    public void PrecomputedAggregationEqualsThePlainPathInValueAndGradient(GnnKind kind)
    {
        using var scope = NewDisposeScope();
        using var graph = new GraphTensors(EdgeIndex.Build(6, [0, 1, 2, 3, 4, 0], [1, 2, 3, 4, 5, 5]), CPU);
        using var cached = new LocalLayer(GnnLayers.Create(kind, 5, 8), 0.01, 5e-4, normalizeInput: true, cacheFixedInputs: true);
        using var plain = new LocalLayer(GnnLayers.Create(kind, 5, 8), 0.01, 5e-4, normalizeInput: true);
        using (no_grad())
            foreach ((var p, var q) in cached.Conv.parameters().Zip(plain.Conv.parameters())) q.copy_(p);
        Assert.True(cached.CacheFixedInputs);
        Tensor x = randn(6, 5);

        for (int step = 0; step < 3; step++)   // the second and third steps hit the cache
        {
            float a = cached.Step(x, graph, z => z.pow(2).sum());
            float b = plain.Step(x, graph, z => z.pow(2).sum());
            Assert.True(Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(b)), $"{a} vs {b}");   // as allclose below (rounding to 3 decimals flaked)
            Assert.True(allclose(plain.Forward(x, graph), cached.Forward(x, graph), rtol: 1e-5, atol: 1e-6));
        }
        foreach ((var p, var q) in cached.Conv.parameters().Zip(plain.Conv.parameters()))
            Assert.True(allclose(p, q, rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void ForwardRowsEqualsThoseRowsOfForwardInValueAndGradient(GnnKind kind)
    {
        // A loss that reads only some rows: the layer computes only those rows (GCN, SAGE: from the gathered
        // aggregate; GAT: the whole forward, then the rows). Both layers start equal and must stay equal.
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var graph = new GraphTensors(EdgeIndex.Build(7, [0, 1, 2, 3, 4, 0, 6], [1, 2, 3, 4, 5, 5, 2]), CPU);
        using var rowsOnly = new LocalLayer(GnnLayers.Create(kind, 5, 8), 0.01, 5e-4, normalizeInput: true, cacheFixedInputs: true);
        using var whole = new LocalLayer(GnnLayers.Create(kind, 5, 8), 0.01, 5e-4, normalizeInput: true, cacheFixedInputs: true);
        using (no_grad())
            foreach ((var p, var q) in rowsOnly.Conv.parameters().Zip(whole.Conv.parameters())) q.copy_(p);
        Tensor[] initial = rowsOnly.Conv.parameters().Select(p => p.detach().clone()).ToArray();
        Tensor x = randn(7, 5);
        Tensor rows = tensor(new long[] { 5, 1, 6, 2 });
        Tensor target = randn(4, 8);
        Func<Tensor, Tensor> loss = z => z.sub(target).pow(2).sum();

        for (int step = 0; step < 3; step++)
        {
            Assert.True(allclose(whole.Forward(x, graph).index_select(0, rows), rowsOnly.ForwardRows(x, graph, rows), rtol: 1e-6, atol: 1e-7));
            float a = rowsOnly.Step(() => loss(rowsOnly.ForwardRows(x, graph, rows)));
            float b = whole.Step(() => loss(whole.Forward(x, graph).index_select(0, rows)));
            Assert.True(Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(b)), $"{a} vs {b}");
        }
        foreach ((var p, var q) in rowsOnly.Conv.parameters().Zip(whole.Conv.parameters()))
            Assert.True(allclose(p, q, rtol: 1e-5, atol: 1e-6));
        Assert.Contains(rowsOnly.Conv.parameters().Zip(initial), p => !p.First.allclose(p.Second, 0, 0));   // the steps did train
    }

    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    public void DenseFeaturesThroughTheCacheEqualSparseFeatures(GnnKind kind)
    {
        // Features denser than FeatureTensor.DenseAbove arrive dense, so layer 1 caches their aggregation; sparse ones
        // take the CSR products every step. Both must train alike.
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var graph = new GraphTensors(EdgeIndex.Build(6, [0, 1, 2, 3, 4, 0], [1, 2, 3, 4, 5, 5]), CPU);
        float[] values = randn(6, 5).relu().data<float>().ToArray();
        var csr = RowNorm.Apply(CsrMatrix.FromDense(6, 5, values));
        Tensor dense = FeatureTensor.From(csr, CPU), sparse = SparseFeatures.Create(csr, CPU);
        Assert.False(dense.is_sparse);
        using var cached = new LocalLayer(GnnLayers.Create(kind, 5, 8), 0.01, 5e-4, normalizeInput: true, cacheFixedInputs: true);
        using var plain = new LocalLayer(GnnLayers.Create(kind, 5, 8), 0.01, 5e-4, normalizeInput: true, cacheFixedInputs: true);
        using (no_grad())
            foreach ((var p, var q) in cached.Conv.parameters().Zip(plain.Conv.parameters())) q.copy_(p);

        for (int step = 0; step < 3; step++)
        {
            float a = cached.Step(dense, graph, z => z.pow(2).sum(), normalized: true);
            float b = plain.Step(sparse, graph, z => z.pow(2).sum(), normalized: true);
            Assert.Equal(b, a, 3);
        }
        foreach ((var p, var q) in cached.Conv.parameters().Zip(plain.Conv.parameters()))
            Assert.True(allclose(p, q, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void AttentionLayersNeverCache()
    {
        using var layer = new LocalLayer(GnnLayers.Create(GnnKind.Gat, 4, 8), 0.01, 0, normalizeInput: true, cacheFixedInputs: true);
        Assert.False(layer.CacheFixedInputs);
    }
}
