using ForwardGnn.Data;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Backprop;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning;

public class BackpropGcnStepTests
{
    private const int Nodes = 37, Features = 23, Hidden = 19, Classes = 5;   // widths off the vector length: kernel tails run

    /// <summary>A directed random graph (Â is not symmetric, so Â and Âᵀ must not be confused), some nodes without edges.</summary>
    private static EdgeIndex Graph()
    {
        var random = new Random(3);
        int[] source = Enumerable.Range(0, 90).Select(_ => random.Next(Nodes - 3)).ToArray();
        int[] target = Enumerable.Range(0, 90).Select(_ => random.Next(Nodes - 3)).ToArray();
        return EdgeIndex.Build(Nodes, source, target, symmetrise: false);
    }

    private static CsrMatrix SparseFeatureMatrix()
    {
        Tensor dense = randn(Nodes, Features) * (rand(Nodes, Features) > 0.8f).to_type(ScalarType.Float32);
        dense[4] = zeros(Features);   // a node without features
        return CsrMatrix.FromDense(Nodes, Features, dense.data<float>().ToArray());
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    public void LossGradientsAndOutputRowsAreThoseOfAutograd(int layers, bool sparse)
    {
        using var scope = NewDisposeScope();
        manual_seed(31);
        CsrMatrix features = SparseFeatureMatrix();
        Tensor x = sparse ? SparseFeatures.Create(features, CPU) : tensor(features.ToDense(), [Nodes, Features]);
        using var graph = new GraphTensors(Graph(), CPU);
        using var model = new BasicGnn(GnnKind.Gcn, Features, Hidden, layers, Classes);
        using (no_grad())
            foreach (GraphConv conv in model.Convs) ((GcnConv)conv).Bias.copy_(randn(conv.OutChannels).mul(0.3));   // some units dead
        long[] labels = Enumerable.Range(0, Nodes).Select(i => (long)((i * 7 + 2) % Classes)).ToArray();
        int[] train = [30, 3, 11, 4, 0, 17, 22, 35, 8, 26, 13], val = [1, 5, 36, 19, 28, 9];   // 35, 36: no edges

        using BackpropGcnStep step = BackpropGcnStep.For(model, x, graph, train, val, labels)!;
        Tensor output = step.Forward();
        Tensor logits = model.call(x, graph);
        Tensor rows = tensor(train.Concat(val).Select(i => (long)i).ToArray());
        // The same sparse kernels; the classifier's dot products (NarrowProducts) add in another order than the GEMM's.
        Assert.True(allclose(logits.index_select(0, rows).detach(), output, rtol: 1e-5, atol: 1e-6), "output rows");

        float fused = step.SetGradients(output);
        Tensor[] fusedGrads = model.parameters().Select(p => p.grad!.clone()).ToArray();
        foreach (var p in model.parameters()) p.grad = null;

        Tensor trainRows = tensor(train.Select(i => (long)i).ToArray());
        Tensor loss = nn.functional.cross_entropy(logits.index_select(0, trainRows), tensor(labels).index_select(0, trainRows));
        loss.backward();
        Assert.Equal(loss.item<float>(), fused, 5);
        Tensor[] expected = model.parameters().Select(p => p.grad!).ToArray();
        Assert.Equal(2 * layers, fusedGrads.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].shape, fusedGrads[i].shape);
            Assert.True(allclose(expected[i], fusedGrads[i], rtol: 1e-4, atol: 1e-6), $"gradient of parameter {i}");
            Assert.True(fusedGrads[i].abs().sum().item<float>() > 0, $"parameter {i} gets a gradient");
        }
        Tensor firstWeight = ((GcnConv)model.Convs[0]).Weight;
        Assert.Equal(!sparse, firstWeight.is_contiguous());   // laid out transposed for sparse features while the step lives
        Tensor values = firstWeight.detach().clone();
        step.RestoreLayout();
        Assert.True(firstWeight.is_contiguous());
        Assert.True(values.eq(firstWeight).all().item<bool>());
    }

    [Fact]
    public void AppliesOnlyToGcnOnFloat32()
    {
        using var scope = NewDisposeScope();
        using var graph = new GraphTensors(Graph(), CPU);
        long[] labels = new long[Nodes];
        Tensor x = randn(Nodes, Features);
        using var sage = new BasicGnn(GnnKind.Sage, Features, Hidden, 2, Classes);
        Assert.Null(BackpropGcnStep.For(sage, x, graph, [0], [1], labels));
        using var gcn = new BasicGnn(GnnKind.Gcn, Features, Hidden, 2, Classes);
        Assert.Null(BackpropGcnStep.For(gcn, x.to_type(ScalarType.Float64), graph, [0], [1], labels));
        Assert.Null(BackpropGcnStep.For(gcn, x.to_sparse(), graph, [0], [1], labels));   // sparse without a CSR beside it
        using BackpropGcnStep? step = BackpropGcnStep.For(gcn, x, graph, [0], [1], labels);
        Assert.NotNull(step);
    }
}
