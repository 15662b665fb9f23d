using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Layers;

public class GcnConvTests
{
    [Theory]
    [MemberData(nameof(LayerOracle.GraphNames), MemberType = typeof(LayerOracle))]
    public void MatchesDenseReference(string graphName)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        EdgeIndex g = LayerOracle.Graph(graphName);
        using var graph = new GraphTensors(g, CPU);
        var conv = new GcnConv(3, 4);
        conv.to(ScalarType.Float64);
        Tensor x = randn(g.NumNodes, 3, dtype: ScalarType.Float64);

        // Â = D^−½ (A + I) D^−½, adding a self-loop only where the graph has none.
        Tensor a = LayerOracle.Adjacency(g);
        a = a + eye(g.NumNodes, dtype: ScalarType.Float64) * (1 - a.diag()).diag();
        Tensor dInvSqrt = a.sum(1).pow(-0.5);
        Tensor norm = dInvSqrt.unsqueeze(1) * a * dInvSqrt.unsqueeze(0);
        Tensor expected = norm.matmul(x.matmul(LayerOracle.Parameter(conv, "weight").t())) + LayerOracle.Parameter(conv, "bias");

        LayerOracle.AssertClose(expected, conv.call(x, graph));
        LayerOracle.CheckGradients(conv, x, graph);
    }

    [Fact]
    public void AcceptsSparseFeatures()
    {
        using var scope = NewDisposeScope();
        EdgeIndex g = LayerOracle.Graph("path-with-isolated");
        using var graph = new GraphTensors(g, CPU);
        var conv = new GcnConv(6, 4);
        Tensor dense = randn(5, 6) * (rand(5, 6) > 0.6f).to_type(ScalarType.Float32);
        LayerOracle.AssertClose(conv.call(dense, graph).to_type(ScalarType.Float64), conv.call(dense.to_sparse(), graph).to_type(ScalarType.Float64), 1e-5);
    }
}
