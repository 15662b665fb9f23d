using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Layers;

public class SageConvTests
{
    [Theory]
    [MemberData(nameof(LayerOracle.GraphNames), MemberType = typeof(LayerOracle))]
    public void MatchesDenseReference(string graphName)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        EdgeIndex g = LayerOracle.Graph(graphName);
        using var graph = new GraphTensors(g, CPU);
        var conv = new SageConv(3, 4);
        conv.to(ScalarType.Float64);
        Tensor x = randn(g.NumNodes, 3, dtype: ScalarType.Float64);

        // mean over in-neighbours (zero for nodes without any), then W_l · mean + b + W_r · x.
        Tensor a = LayerOracle.Adjacency(g);
        Tensor mean = a.matmul(x) / a.sum(1, keepdim: true).clamp_min(1);
        Tensor w = LayerOracle.Parameter(conv, "weight");
        Tensor expected = mean.matmul(w.narrow(0, 0, 4).t()) + LayerOracle.Parameter(conv, "bias") + x.matmul(w.narrow(0, 4, 4).t());

        LayerOracle.AssertClose(expected, conv.call(x, graph));
        LayerOracle.CheckGradients(conv, x, graph);
    }
}
