using ForwardGnn.Data;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using ForwardGnn.Tests.Support;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class SingleForwardGcnStepTests
{
    /// <summary>The SF loss written with autograd, as the plain path computes it: CE(Z_T Z_Vᵀ / τ, y), Z = ReLU(A Wᵀ + b).</summary>
    private static Tensor AutogradLoss(GcnConv conv, Tensor aggregated, Tensor labels, int t, double tau)
    {
        Tensor z = conv.ForwardAggregated(aggregated, aggregated).relu();
        Tensor scores = z.narrow(0, 0, t).matmul(z.narrow(0, t, z.shape[0] - t).t()).div(tau);
        return nn.functional.cross_entropy(scores, labels);
    }

    [Theory]
    [InlineData(1.0, 5)]
    [InlineData(0.5, 3)]
    [InlineData(2.0, 7)]
    public void LossAndGradientsAreThoseOfAutograd(double tau, int classes)
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        const int t = 29, inputs = 11, hidden = 19;   // widths off the vector length: the kernels' tails run too
        var conv = new GcnConv(inputs, hidden);
        using (no_grad()) conv.Bias.copy_(randn(hidden).mul(0.3));   // some units dead, some alive
        Tensor aggregated = randn(t + classes, inputs);
        long[] labels = Enumerable.Range(0, t).Select(i => (long)((i * 7 + 3) % classes)).ToArray();

        float fused = SingleForwardGcnStep.SetGradients(conv, aggregated, labels, tau);
        Tensor weightGrad = conv.Weight.grad!.clone(), biasGrad = conv.Bias.grad!.clone();
        conv.Weight.grad = null;
        conv.Bias.grad = null;

        Tensor loss = AutogradLoss(conv, aggregated, tensor(labels), t, tau);
        loss.backward();
        Assert.Equal(loss.item<float>(), fused, 5);
        Assert.True(allclose(conv.Weight.grad!, weightGrad, rtol: 1e-4, atol: 1e-6), "weight gradient");
        Assert.True(allclose(conv.Bias.grad!, biasGrad, rtol: 1e-4, atol: 1e-6), "bias gradient");
        Assert.True(biasGrad.abs().sum().item<float>() > 0);
    }

    /// <summary>
    /// Layer 1 on sparse features: the loss and both gradients of the written-out step (Z = ReLU(Â[R, :] (s Wᵀ) + b),
    /// ∂L/∂Wᵀ = sᵀ (Â[R, :]ᵀ G)) against autograd through the plain layer on every row, with W laid out row by row
    /// and transposed (the gradient must come back in W's layout, with W's values).
    /// </summary>
    [Theory]
    [InlineData(1.0, 5, false)]
    [InlineData(0.5, 3, true)]
    [InlineData(2.0, 7, true)]
    public void SparseFeaturesLossAndGradientsAreThoseOfAutograd(double tau, int classes, bool transposed)
    {
        using var scope = NewDisposeScope();
        manual_seed(27);
        const int nodes = 50, t = 23, inputs = 13, hidden = 19;   // widths off the vector length: the kernels' tails run too
        using var layer = new RandomGcnLayer(nodes, edges: 160, inputs, hidden, seed: 11);
        (GraphTensors graph, GcnConv conv, Tensor features) = (layer.Graph, layer.Conv, layer.SparseFeatures);
        if (transposed) ParameterLayout.Set(conv.Weight, transposed: true);
        // R: training rows scattered over the graph, then the class rows (the last ones, as the augmented graph puts them).
        int[] rows = [.. Enumerable.Range(0, t).Select(i => (i * 3 + 1) % (nodes - classes)), .. Enumerable.Range(nodes - classes, classes)];
        long[] labels = Enumerable.Range(0, t).Select(i => (long)((i * 7 + 3) % classes)).ToArray();
        using SparseOperator scored = graph.GcnAdjacency.SelectRows(rows);

        float fused = SingleForwardGcnStep.SetGradients(conv, SparseFeatures.OperatorOf(features)!, scored, labels, tau);
        Assert.Equal(conv.Weight.stride(), conv.Weight.grad!.stride());   // in W's layout
        Tensor weightGrad = conv.Weight.grad!.clone(), biasGrad = conv.Bias.grad!.clone();
        conv.Weight.grad = null;
        conv.Bias.grad = null;

        Tensor z = conv.ForwardRelu(features, graph).index_select(0, tensor(rows.Select(r => (long)r).ToArray()));
        Tensor scores = z.narrow(0, 0, t).matmul(z.narrow(0, t, classes).t()).div(tau);
        Tensor loss = nn.functional.cross_entropy(scores, tensor(labels));
        loss.backward();
        Assert.True(Math.Abs(loss.item<float>() - fused) <= 1e-6 * Math.Abs(fused), $"loss {fused} against {loss.item<float>()}");
        Assert.True(allclose(conv.Weight.grad!, weightGrad, rtol: 1e-4, atol: 1e-6), "weight gradient");
        Assert.True(allclose(conv.Bias.grad!, biasGrad, rtol: 1e-4, atol: 1e-6), "bias gradient");
        Assert.True(biasGrad.abs().sum().item<float>() > 0);
        Assert.True(weightGrad.abs().sum().item<float>() > 0);
    }

    /// <summary>The rows that layer 1's validation aggregates are those rows of the plain layer's output, bit for bit.</summary>
    [Fact]
    public void SparseFeaturesForwardRowsAreThoseOfTheWholeLayer()
    {
        using var scope = NewDisposeScope();
        manual_seed(29);
        const int nodes = 40, inputs = 11, hidden = 21;
        using var layer = new RandomGcnLayer(nodes, edges: 120, inputs, hidden, seed: 5);
        (GraphTensors graph, GcnConv conv, Tensor features) = (layer.Graph, layer.Conv, layer.SparseFeatures);
        int[] rows = [31, 2, 17, 17, 0, 39, 8];
        using SparseOperator selected = graph.GcnAdjacency.SelectRows(rows);

        Tensor output;
        using (no_grad()) output = SingleForwardGcnStep.ForwardRows(conv, SparseFeatures.OperatorOf(features)!.Product(conv.Weight.t()), selected);
        Tensor expected = conv.ForwardRelu(features, graph).detach().index_select(0, tensor(rows.Select(r => (long)r).ToArray()));
        Assert.True(expected.eq(output).all().item<bool>());
        Assert.True(output.gt(0).any().item<bool>() && output.eq(0).any().item<bool>());   // the bias and the ReLU both act
    }

    [Fact]
    public void RowKernelsReadAViewFromItsFirstRow()
    {
        // The virtual rows are a view starting T rows into Z; the mask must read those rows, not Z's first.
        using var scope = NewDisposeScope();
        Tensor z = tensor(new float[] { 1, 1, -1, -1, 2, -2 }).reshape(3, 2);
        Tensor g = ones(2, 2), sum = zeros(2);
        RowKernels.MaskByPositiveAndSum(g, z.narrow(0, 1, 2), sum);
        Assert.Equal(new float[] { 0, 0, 1, 0 }, g.data<float>().ToArray());
        Assert.Equal(new float[] { 1, 0 }, sum.data<float>().ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RowPassesOnLargeMatricesEqualLibTorchs(int threads)
    {
        // Large enough for row blocks on the compute threads, each with its own partial bias sums.
        using var scope = NewDisposeScope();
        manual_seed(23);
        int saved = ForwardGnn.Engine.CsrKernels.MaxThreads;
        ForwardGnn.Engine.CsrKernels.MaxThreads = threads;
        try
        {
            Tensor z = randn(2101, 130), bias = randn(130), grad = randn(2101, 130);
            Tensor expected = z.add(bias).relu();
            RowKernels.AddBiasRelu(z, bias);
            Assert.True(expected.eq(z).all().item<bool>());

            Tensor maskedExpected = where(z.gt(0), grad, zeros_like(grad)), sum = zeros(130);
            RowKernels.MaskByPositiveAndSum(grad, z, sum);
            Assert.True(maskedExpected.eq(grad).all().item<bool>());
            Assert.True(allclose(maskedExpected.sum(0L), sum, rtol: 1e-5, atol: 1e-4));
        }
        finally
        {
            ForwardGnn.Engine.CsrKernels.MaxThreads = saved;
        }
    }
}
