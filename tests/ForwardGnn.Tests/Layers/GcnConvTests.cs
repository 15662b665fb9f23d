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

        Tensor expected = NormalizedAdjacency(g).matmul(x.matmul(LayerOracle.Parameter(conv, "weight").t())) + LayerOracle.Parameter(conv, "bias");

        LayerOracle.AssertClose(expected, conv.call(x, graph));
        LayerOracle.CheckGradients(conv, x, graph);
    }

    /// <summary>Â = D^−½ (A + I) D^−½ (float64), adding a self-loop only where the graph has none.</summary>
    private static Tensor NormalizedAdjacency(EdgeIndex g)
    {
        Tensor a = LayerOracle.Adjacency(g);
        a = a + eye(g.NumNodes, dtype: ScalarType.Float64) * (1 - a.diag()).diag();
        Tensor dInvSqrt = a.sum(1).pow(-0.5);
        return dInvSqrt.unsqueeze(1) * a * dInvSqrt.unsqueeze(0);
    }

    /// <summary>
    /// In float32 the bias and the ReLU run inside the sparse product (and the backward masks the gradient itself):
    /// forward and ForwardRelu against the dense float64 formula, in value and in the gradients of x, W and b.
    /// </summary>
    [Theory]
    [MemberData(nameof(LayerOracle.GraphNames), MemberType = typeof(LayerOracle))]
    public void Float32ForwardAndForwardReluMatchDenseReference(string graphName)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        EdgeIndex g = LayerOracle.Graph(graphName);
        using var graph = new GraphTensors(g, CPU);
        var conv = new GcnConv(3, 70);   // 64 columns in registers, then 6 one at a time
        Tensor weight = LayerOracle.Parameter(conv, "weight"), bias = LayerOracle.Parameter(conv, "bias");
        using (no_grad()) bias.uniform_(-1, 1);   // zeros at initialisation would hide a missing bias
        Tensor x = randn(g.NumNodes, 3).requires_grad_();
        Tensor r = randn(g.NumNodes, 70, dtype: ScalarType.Float64);
        foreach (bool relu in new[] { false, true })
        {
            conv.zero_grad();
            x.grad = null;
            Tensor output = relu ? conv.ForwardRelu(x, graph) : conv.call(x, graph);
            output.to_type(ScalarType.Float64).mul(r).sum().backward();

            Tensor x64 = x.detach().to_type(ScalarType.Float64).requires_grad_();
            Tensor w64 = weight.detach().to_type(ScalarType.Float64).requires_grad_();
            Tensor b64 = bias.detach().to_type(ScalarType.Float64).requires_grad_();
            Tensor pre = NormalizedAdjacency(g).matmul(x64.matmul(w64.t())) + b64;
            Tensor expected = relu ? pre.relu() : pre;
            expected.mul(r).sum().backward();

            LayerOracle.AssertClose(expected, output.to_type(ScalarType.Float64), 1e-5);
            LayerOracle.AssertClose(x64.grad!, x.grad!.to_type(ScalarType.Float64), 1e-4);
            LayerOracle.AssertClose(w64.grad!, weight.grad!.to_type(ScalarType.Float64), 1e-4);
            LayerOracle.AssertClose(b64.grad!, bias.grad!.to_type(ScalarType.Float64), 1e-4);
        }
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
