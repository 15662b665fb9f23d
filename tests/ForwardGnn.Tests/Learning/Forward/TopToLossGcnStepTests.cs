using ForwardGnn.Data;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Tests.Support;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class TopToLossGcnStepTests
{
    /// <summary>
    /// Layer ℓ's SF-Top-To-Loss loss written with autograd, as the plain path computes it:
    /// CE(M_Q M_VNᵀ / τ, y) with M = mean(ReLU(conv(s))[R], s_{ℓ+1}[R], …, s_L[R]).
    /// </summary>
    private static (Tensor Loss, Tensor Z) AutogradLoss(GcnConv conv, Tensor state, GraphTensors graph, ScoredRows rows,
        Tensor[] states, int layer, Tensor labels)
    {
        Tensor z = conv.ForwardRelu(state, graph);
        Tensor sum = z.index_select(0, rows.All);
        for (int k = layer + 1; k < states.Length; k++) sum = sum.add(states[k].index_select(0, rows.All));
        Tensor merged = sum.div(states.Length - layer);
        return (nn.functional.cross_entropy(rows.Scores(merged), labels), z);
    }

    [Theory]
    [InlineData(1, 3, 1.0, false)]   // two layers above: M is the mean of three
    [InlineData(2, 3, 0.5, false)]
    [InlineData(3, 3, 2.0, false)]   // the top layer: M = Z[R], made on R alone
    [InlineData(1, 3, 1.0, true)]    // layer 1 on sparse features: A is never formed
    [InlineData(1, 1, 0.5, true)]
    public void LossGradientsAndOutputAreThoseOfAutograd(int layer, int depth, double tau, bool sparse)
    {
        using var scope = NewDisposeScope();
        manual_seed(31);
        const int nodes = 40, classes = 5, inputs = 11, hidden = 19;   // widths off the vector length: the kernels' tails run too
        using var setup = new RandomGcnLayer(nodes, edges: 120, inputs, hidden, seed: 7);
        (GraphTensors graph, GcnConv conv) = (setup.Graph, setup.Conv);
        Tensor state = sparse ? setup.SparseFeatures : randn(nodes, inputs);
        Tensor[] states = Enumerable.Range(0, depth + 1).Select(_ => randn(nodes, hidden).relu()).ToArray();
        var rows = ScoredRows.Of(arange(0L, 23L), arange(35L, 35L + classes), tau);   // training rows, then class nodes
        long[] labels = Enumerable.Range(0, 23).Select(i => (long)((i * 7 + 3) % classes)).ToArray();
        Tensor[] above = states[(layer + 1)..].Select(s => s.index_select(0, rows.All)).ToArray();

        (float fused, Tensor output) = new TopToLossGcnStep(graph, rows, labels).SetGradients(conv, state, above);
        Tensor weightGrad = conv.Weight.grad!.clone(), biasGrad = conv.Bias.grad!.clone();
        conv.Weight.grad = null;
        conv.Bias.grad = null;

        (Tensor loss, Tensor z) = AutogradLoss(conv, state, graph, rows, states, layer, tensor(labels));
        loss.backward();
        Assert.True(Math.Abs(loss.item<float>() - fused) <= 1e-6 * Math.Abs(fused), $"loss {fused} against {loss.item<float>()}");
        // The top layer's output is Z[R] (nothing reads its other rows); below it, every row of Z.
        Tensor expected = layer == depth ? z.detach().index_select(0, rows.All) : z.detach();
        Assert.Equal(expected.shape, output.shape);
        Assert.True(allclose(expected, output, rtol: 1e-5, atol: 1e-6), "output");
        Assert.True(allclose(conv.Weight.grad!, weightGrad, rtol: 1e-4, atol: 1e-6), "weight gradient");
        Assert.True(allclose(conv.Bias.grad!, biasGrad, rtol: 1e-4, atol: 1e-6), "bias gradient");
        Assert.True(biasGrad.abs().sum().item<float>() > 0);
        Assert.True(weightGrad.abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheTopLayersRowsAreThoseOfTheFullOutputBitForBit(bool sparse)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        const int nodes = 40, classes = 5, inputs = 11, hidden = 19;
        using var setup = new RandomGcnLayer(nodes, edges: 120, inputs, hidden, seed: 3);
        Tensor state = sparse ? setup.SparseFeatures : randn(nodes, inputs);
        var rows = ScoredRows.Of(arange(3L, 26L), arange(35L, 35L + classes), 0.5);
        long[] labels = Enumerable.Range(0, 23).Select(i => (long)(i % classes)).ToArray();
        var step = new TopToLossGcnStep(setup.Graph, rows, labels);

        // Z does not depend on the merge: a layer below the top (one state above it) returns every row of it.
        (_, Tensor full) = step.SetGradients(setup.Conv, state, [randn(rows.All.shape[0], hidden)]);
        (_, Tensor top) = step.SetGradients(setup.Conv, state, []);

        Assert.Equal(new long[] { rows.All.shape[0], hidden }, top.shape);
        Assert.True(full.index_select(0, rows.All).eq(top).all().item<bool>(), "Z[R] made on R alone differs from the rows of the full Z");
    }
}
