using ForwardGnn.Data;
using ForwardGnn.Distributed;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Tests.Support;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Distributed;

public class FeatureNeighbourhoodTests
{
    /// <summary>
    /// Layer 1 computed for some rows from their neighbourhood's feature rows is the whole graph's layer 1 at those
    /// rows, in value and in the weights' gradient, and reads fewer feature rows than the graph has.
    /// </summary>
    [Fact]
    public void RowsFromTheirNeighbourhoodEqualTheWholeGraphsLayerOne()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        GraphDataset data = SharedData.Load("cora_ml");
        CsrMatrix x = RowNorm.Apply(data.Features);
        int[] rows = [.. Enumerable.Range(0, data.NumNodes).Where(n => n % 7 == 3).Reverse()];   // any order
        using var whole = new GraphTensors(data.Edges, CPU);
        using var part = new FeatureNeighbourhood(data.Edges, rows, x, CPU);
        Assert.InRange(part.Read, rows.Length, data.NumNodes - 1);

        var conv = new GcnConv(x.Columns, 16);
        Tensor r = randn(rows.Length, 16);
        Tensor expected = conv.ForwardRelu(SparseFeatures.Create(x, CPU), whole).index_select(0, tensor(rows.Select(n => (long)n).ToArray()));
        expected.mul(r).sum().backward();
        Tensor[] expectedGrads = [.. conv.parameters().Select(p => p.grad!.clone())];
        foreach (var p in conv.parameters()) p.grad!.zero_();

        Tensor actual = conv.ForwardRelu(part.Features, part.Graph);
        actual.mul(r).sum().backward();
        Assert.True(allclose(expected, actual, rtol: 1e-5, atol: 1e-6));
        foreach ((Tensor e, Tensor a) in expectedGrads.Zip(conv.parameters().Select(p => p.grad!)))
            Assert.True(allclose(e, a, rtol: 1e-4, atol: 1e-6));
    }
}
