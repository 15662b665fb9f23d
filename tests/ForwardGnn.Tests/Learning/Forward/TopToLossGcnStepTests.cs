using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class TopToLossGcnStepTests
{
    /// <summary>
    /// Layer ℓ's SF-Top-To-Loss loss written with autograd, as the plain path computes it:
    /// CE(M_Q M_VNᵀ / τ, y) with M = mean(ReLU(conv(s))[R], s_{ℓ+1}[R], …, s_L[R]).
    /// </summary>
    private static (Tensor Loss, Tensor Z) AutogradLoss(GcnConv conv, Tensor state, GraphTensors graph, ScoredRows rows,
        Func<int, Tensor> upper, int layer, int depth, Tensor labels)
    {
        Tensor z = conv.ForwardRelu(state, graph);
        Tensor merged = TopToLossSweep.Merged(layer, depth, z.index_select(0, rows.All), upper);
        return (nn.functional.cross_entropy(rows.Scores(merged), labels), z);
    }

    [Theory]
    [InlineData(1, 3, 1.0)]   // two layers above: M is the mean of three
    [InlineData(2, 3, 0.5)]
    [InlineData(3, 3, 2.0)]   // the top layer: M = Z[R]
    public void LossGradientsAndOutputAreThoseOfAutograd(int layer, int depth, double tau)
    {
        using var scope = NewDisposeScope();
        manual_seed(31);
        const int nodes = 40, classes = 5, inputs = 11, hidden = 19;   // widths off the vector length: the kernels' tails run too
        var random = new Random(7);
        int[] source = Enumerable.Range(0, 120).Select(_ => random.Next(nodes)).ToArray();
        int[] target = Enumerable.Range(0, 120).Select(_ => random.Next(nodes)).ToArray();
        using var graph = new GraphTensors(EdgeIndex.Build(nodes, source, target), CPU);
        var conv = new GcnConv(inputs, hidden);
        using (no_grad()) conv.Bias.copy_(randn(hidden).mul(0.3));   // some units dead, some alive
        Tensor state = randn(nodes, inputs);
        Tensor[] states = Enumerable.Range(0, depth + 1).Select(_ => randn(nodes, hidden).relu()).ToArray();
        var rows = ScoredRows.Of(arange(0L, 23L), arange(35L, 35L + classes), tau);   // training rows, then class nodes
        Tensor Upper(int k) => states[k].index_select(0, rows.All);
        long[] labels = Enumerable.Range(0, 23).Select(i => (long)((i * 7 + 3) % classes)).ToArray();

        (float fused, Tensor output) = TopToLossGcnStep.SetGradients(conv, state, graph, rows, Upper, layer, depth, labels);
        Tensor weightGrad = conv.Weight.grad!.clone(), biasGrad = conv.Bias.grad!.clone();
        conv.Weight.grad = null;
        conv.Bias.grad = null;

        (Tensor loss, Tensor z) = AutogradLoss(conv, state, graph, rows, Upper, layer, depth, tensor(labels));
        loss.backward();
        Assert.True(Math.Abs(loss.item<float>() - fused) <= 1e-6 * Math.Abs(fused), $"loss {fused} against {loss.item<float>()}");
        Assert.True(allclose(z.detach(), output, rtol: 1e-5, atol: 1e-6), "output");
        Assert.True(allclose(conv.Weight.grad!, weightGrad, rtol: 1e-4, atol: 1e-6), "weight gradient");
        Assert.True(allclose(conv.Bias.grad!, biasGrad, rtol: 1e-4, atol: 1e-6), "bias gradient");
        Assert.True(biasGrad.abs().sum().item<float>() > 0);
    }
}
