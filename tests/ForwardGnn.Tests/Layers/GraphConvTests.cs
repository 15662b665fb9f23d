using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Layers;

public class GraphConvTests
{
    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void ForwardShiftedEqualsForwardOfTheShiftedInput(GnnKind kind)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var graph = new GraphTensors(LayerOracle.Graph("path-with-isolated"), CPU);
        GraphConv conv = GnnLayers.Create(kind, 6, 8);
        Tensor x = randn(5, 6) * (rand(5, 6) > 0.5f).to_type(ScalarType.Float32);
        Tensor u = randn(5, 2), v = randn(6, 2);

        Tensor expected = conv.call(x + u.matmul(v.t()), graph);
        Assert.True(expected.allclose(conv.ForwardShifted(x, u, v, graph), rtol: 1e-4, atol: 1e-5));
        Assert.True(expected.allclose(conv.ForwardShifted(x.to_sparse(), u, v, graph), rtol: 1e-4, atol: 1e-5));
    }
    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void FromProjectionOfARowScaledProjectionIsTheConvOfTheRowScaledInput(GnnKind kind)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var graph = new GraphTensors(LayerOracle.Graph("self-loop-and-duplicates"), CPU);
        GraphConv conv = GnnLayers.Create(kind, 6, 8);
        Tensor x = randn(4, 6), scales = rand(4, 1) + 0.1f;

        Assert.True(conv.call(x, graph).allclose(conv.FromProjection(conv.Projection(x), graph), rtol: 0, atol: 0));
        Assert.True(conv.call(x.mul(scales), graph).allclose(conv.FromProjection(conv.Projection(x).mul(scales), graph), rtol: 1e-4, atol: 1e-5));
    }
    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void FromProjectionRowsAreThoseRowsOfFromProjection(GnnKind kind)
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var graph = new GraphTensors(LayerOracle.Graph("path-with-isolated"), CPU);
        GraphConv conv = GnnLayers.Create(kind, 6, 8);
        Tensor projected = conv.Projection(randn(5, 6));
        Tensor rows = tensor(new long[] { 4, 0, 2, 2 });

        Tensor expected = conv.FromProjection(projected, graph).index_select(0, rows);
        Assert.True(expected.allclose(conv.FromProjectionRows(projected, graph, rows), rtol: 1e-5, atol: 1e-6));
    }
}
