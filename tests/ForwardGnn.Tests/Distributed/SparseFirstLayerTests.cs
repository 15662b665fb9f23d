using ForwardGnn.Data;
using ForwardGnn.Distributed;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Tests.Support;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Distributed;

public class SparseFirstLayerTests
{
    /// <summary>
    /// Distributed SF's layer 1 on sparse features, on one rank of two: its own rows are the whole augmented graph's
    /// layer 1 at those nodes (as the single process computes it), and its class rows those of the aggregated path
    /// (Â·LN(X_aug) then the projection; here this rank's partial sums, no other rank adding to them), in value and in
    /// the weights' gradient.
    /// </summary>
    [Fact]
    public void OwnRowsAreTheWholeGraphsLayerOneAndClassRowsTheAggregatedPaths()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        GraphDataset data = SharedData.Load("cora_ml");
        int n = data.NumNodes, classes = data.NumClasses, f = data.NumFeatures;
        var augmenter = new VirtualNodeAugmenter(data, randn(classes, f).data<float>().ToArray());
        bool[] train = augmenter.Mask(Enumerable.Range(0, n).Where(i => i % 5 == 0));
        EdgeIndex graph = augmenter.Augment(data.Labels, train);
        var partition = new GraphPartition(2, [.. Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 1 : 0)]);
        PartitionPlan plan = PartitionPlan.Of(graph, n, partition, rank: 0);
        using var view = new PartitionView(plan, CPU);
        CsrMatrix x = RowNorm.Apply(augmenter.Features);
        int[] inputRows = [.. plan.Own, .. plan.Halo.Received, .. Enumerable.Range(n, classes)];
        Tensor input = tensor(PartitionView.DenseRows(x, inputRows), [inputRows.Length, f]);
        var ranks = new SingleProcessCommunicator();
        Assert.True(SparseFirstLayer.Applies(view, input, ranks));
        using var layer = new SparseFirstLayer(view, input, ranks, CPU);

        var conv = new GcnConv(f, 16);
        int own = plan.Own.Length;
        using var whole = new GraphTensors(graph, CPU);
        Tensor ownRows = tensor(plan.Own.Select(i => (long)i).ToArray());
        Tensor expectedOwn = conv.ForwardRelu(SparseFeatures.Create(x, CPU), whole).index_select(0, ownRows);
        Tensor aggregated = view.Aggregate(input);
        Tensor expected = cat([expectedOwn, conv.ForwardAggregated(aggregated, aggregated).relu_().narrow(0, own, classes)]);
        Tensor r = randn(own + classes, 16);
        expected.mul(r).sum().backward();
        Tensor[] expectedGrads = [.. conv.parameters().Select(p => p.grad!.clone())];
        foreach (var p in conv.parameters()) p.grad!.zero_();

        Tensor actual = layer.Forward(conv);
        actual.mul(r).sum().backward();
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(allclose(expected, actual, rtol: 1e-5, atol: 1e-6));
        foreach ((Tensor e, Tensor a) in expectedGrads.Zip(conv.parameters().Select(p => p.grad!)))
            Assert.True(allclose(e, a, rtol: 1e-4, atol: 1e-6));
    }
}
