using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning;
using ForwardGnn.Learning.Baselines;
using ForwardGnn.Tests.Layers;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Baselines;

public class PepitaNetworkTests
{
    [Fact]
    public void UpdateUsesTheModulatedSecondPassAndOnlyEachConvsOwnInput()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        EdgeIndex g = LayerOracle.Graph("path-with-isolated");   // 5 nodes
        using var graph = new GraphTensors(g, CPU);
        using var net = new PepitaNetwork(GnnKind.Gcn, inChannels: 3, hidden: 4, layers: 2, classes: 2);
        Tensor x = rand(5, 3);
        Tensor train = tensor(new long[] { 0, 2, 3 });
        Tensor labels = tensor(new long[] { 1, 0, 1 });
        net.AccumulateUpdate(x, graph, train, labels);

        // Dense oracle: Â = D^−½ (A + I) D^−½; conv_ℓ(h) = Â h Wᵀ + b.
        Tensor a = LayerOracle.Adjacency(g).to(ScalarType.Float32) + eye(5);
        Tensor dInvSqrt = a.sum(1).pow(-0.5);
        Tensor norm = dInvSqrt.unsqueeze(1) * a * dInvSqrt.unsqueeze(0);
        Tensor w1 = LayerOracle.Parameter(net, "gnn.convs.0.weight"), b1 = LayerOracle.Parameter(net, "gnn.convs.0.bias");
        Tensor w2 = LayerOracle.Parameter(net, "gnn.convs.1.weight"), b2 = LayerOracle.Parameter(net, "gnn.convs.1.bias");
        Tensor expectedW1, expectedB1, expectedW2, expectedB2;
        using (no_grad())
        {
            Tensor Hidden(Tensor input) => nn.functional.relu(norm.matmul(input).matmul(w1.t()) + b1);
            Tensor h = Hidden(x);
            Tensor logits = norm.matmul(h).matmul(w2.t()) + b2;
            Tensor error = zeros(5, 2);
            error.index_copy_(0, train, logits.index_select(0, train).softmax(1) - nn.functional.one_hot(labels, 2).to(ScalarType.Float32));
            Tensor modulated = x + error.matmul(net.Feedback.t());   // second pass: x + F·e, training rows only
            Tensor hMod = Hidden(modulated);
            Tensor delta = (h - hMod).index_select(0, train);
            Tensor e = error.index_select(0, train);
            // Hidden conv: (h − h_mod)ᵀ (Â x_mod); output conv: eᵀ (Â h_mod); both over the 3 training nodes.
            expectedW1 = delta.t().matmul(norm.matmul(modulated).index_select(0, train)) / 3;
            expectedB1 = delta.sum([0]) / 3;
            expectedW2 = e.t().matmul(norm.matmul(hMod).index_select(0, train)) / 3;
            expectedB2 = e.sum([0]) / 3;
        }
        Assert.True(expectedW1.abs().sum().item<float>() > 1e-6, "the modulation must change the hidden layer");
        AssertClose(expectedW1, w1.grad!);
        AssertClose(expectedB1, b1.grad!);
        AssertClose(expectedW2, w2.grad!);
        AssertClose(expectedB2, b2.grad!);
    }

    [Fact]
    public void ZeroFeedbackLeavesHiddenLayersWithoutUpdate()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        EdgeIndex g = LayerOracle.Graph("path-with-isolated");
        using var graph = new GraphTensors(g, CPU);
        using var net = new PepitaNetwork(GnnKind.Sage, inChannels: 3, hidden: 4, layers: 3, classes: 2);
        using (no_grad()) net.Feedback.zero_();
        Tensor x = rand(5, 3);
        net.AccumulateUpdate(x, graph, tensor(new long[] { 0, 1 }), tensor(new long[] { 1, 0 }));

        // Unmodulated, the two passes agree, so hidden convs get a zero update; only the output conv learns from e.
        foreach ((string name, var p) in net.named_parameters())
        {
            double size = p.grad!.abs().sum().item<float>();
            if (name.StartsWith("gnn.convs.2.")) Assert.True(size > 0, name);
            else Assert.Equal(0.0, size);
        }
    }

    [Fact]
    public void LinkPredictionIsRefused()
    {
        ILearningAlgorithm pepita = LearningAlgorithms.Find("pepita");
        Assert.True(pepita.Supports(TaskKind.Node));
        Assert.False(pepita.Supports(TaskKind.Link));
    }

    private static void AssertClose(Tensor expected, Tensor actual) =>
        Assert.True(expected.allclose(actual, rtol: 1e-4, atol: 1e-6), $"expected {expected.ToString(TorchSharp.TensorStringStyle.Julia)}, got {actual.ToString(TorchSharp.TensorStringStyle.Julia)}");
}
