using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Layers;

public class GatConvTests
{
    [Theory]
    [MemberData(nameof(LayerOracle.GraphNames), MemberType = typeof(LayerOracle))]
    public void MatchesDenseReference(string graphName)
    {
        foreach (bool concat in new[] { true, false })
        {
            using var scope = NewDisposeScope();
            manual_seed(3);
            EdgeIndex g = LayerOracle.Graph(graphName);
            using var graph = new GraphTensors(g, CPU);
            var conv = new GatConv(3, 2, heads: 4, concat: concat);
            conv.to(ScalarType.Float64);
            Tensor x = randn(g.NumNodes, 3, dtype: ScalarType.Float64) * 3;

            LayerOracle.AssertClose(DenseReference(conv, g, x), conv.call(x, graph));
            LayerOracle.CheckGradients(conv, x, graph);
        }
    }

    /// <summary>Masked dense softmax over N_in(i) ∪ {i} (existing self-loops replaced by exactly one).</summary>
    private static Tensor DenseReference(GatConv conv, EdgeIndex g, Tensor x)
    {
        int n = g.NumNodes;
        Tensor mask = LayerOracle.Adjacency(g);
        mask = mask * (1 - eye(n, dtype: ScalarType.Float64)) + eye(n, dtype: ScalarType.Float64);
        Tensor z = x.matmul(LayerOracle.Parameter(conv, "weight").t()).view(n, 4, 2);
        Tensor src = (z * LayerOracle.Parameter(conv, "att_src")).sum(-1);   // [N, H]
        Tensor dst = (z * LayerOracle.Parameter(conv, "att_dst")).sum(-1);
        var heads = new List<Tensor>();
        for (int h = 0; h < 4; h++)
        {
            Tensor e = nn.functional.leaky_relu(dst[.., h].unsqueeze(1) + src[.., h].unsqueeze(0), 0.2);   // e[i, j]
            Tensor alpha = e.masked_fill(mask == 0, double.NegativeInfinity).softmax(1);
            heads.Add(alpha.matmul(z[.., h, ..]));
        }
        Tensor output = conv.Concat ? cat(heads, 1) : stack(heads).mean([0]);
        return output + LayerOracle.Parameter(conv, "bias");
    }

    [Fact]
    public void StaysFiniteForLargeScores()
    {
        using var scope = NewDisposeScope();
        EdgeIndex g = LayerOracle.Graph("path-with-isolated");
        using var graph = new GraphTensors(g, CPU);
        var conv = new GatConv(3, 2);
        Tensor output = conv.call(full(5, 3, 500f), graph);
        Assert.True(output.isfinite().all().item<bool>());
    }
}
