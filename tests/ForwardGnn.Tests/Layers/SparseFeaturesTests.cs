using ForwardGnn.Data;
using ForwardGnn.Layers;
using ForwardGnn.Tests.Support;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Layers;

public class SparseFeaturesTests
{
    [Fact]
    public void CsrProjectionMatchesLibTorchInValueAndGradient()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        Tensor denseX = randn(40, 33) * (rand(40, 33) > 0.85f).to_type(ScalarType.Float32);
        denseX[7] = zeros(33);                                   // an all-zero row
        CsrMatrix csr = CsrMatrix.FromDense(40, 33, denseX.data<float>().ToArray());
        Tensor fast = SparseFeatures.Create(csr, CPU);
        Tensor weight = randn(19, 33).requires_grad_(true);       // odd width exercises the scalar tail
        Tensor r = randn(40, 19);

        Tensor expected = denseX.matmul(weight.t());
        expected.mul(r).sum().backward();
        Tensor expectedGrad = weight.grad!.clone();
        weight.grad!.zero_();

        Tensor actual = SparseFeatures.Project(fast, weight);
        actual.mul(r).sum().backward();

        Assert.True(allclose(expected, actual, rtol: 1e-5, atol: 1e-5));
        Assert.True(allclose(expectedGrad, weight.grad!, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void RealFeaturesGiveTheSameProductAsLibTorch()
    {
        using var scope = NewDisposeScope();
        CsrMatrix x = SharedData.Load("cora_ml").Features;
        Tensor fast = SparseFeatures.Create(x, CPU);
        Tensor plain = fast.to_dense().to_sparse();              // a sparse tensor the CSR table does not know
        Tensor weight = randn(128, x.Columns);
        Assert.True(allclose(plain.mm(weight.t()), SparseFeatures.Project(fast, weight), rtol: 1e-4, atol: 1e-5));
    }
}

public class ForwardBlocksTests
{
    [Theory]
    [InlineData(ForwardGnn.Layers.GnnKind.Gcn)]
    [InlineData(ForwardGnn.Layers.GnnKind.Sage)]
    [InlineData(ForwardGnn.Layers.GnnKind.Gat)]
    public void BlocksEqualTheConcatenatedInput(ForwardGnn.Layers.GnnKind kind)
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var graph = new ForwardGnn.Graphs.GraphTensors(LayerOracle.Graph("path-with-isolated"), CPU);
        var conv = GnnLayers.Create(kind, 7, 8);
        Tensor a = randn(5, 4), b = randn(5, 3);
        Assert.True(allclose(conv.call(cat([a, b], 1), graph), conv.ForwardBlocks([a, b], graph), rtol: 1e-5, atol: 1e-6));
        Assert.Throws<ArgumentException>(() => conv.ForwardBlocks([a], graph));
    }

    [Theory]
    [InlineData(ForwardGnn.Layers.GnnKind.Gcn)]
    [InlineData(ForwardGnn.Layers.GnnKind.Sage)]
    [InlineData(ForwardGnn.Layers.GnnKind.Gat)]
    public void BlockProjectionsSumToTheBlocksOutput(ForwardGnn.Layers.GnnKind kind)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var graph = new ForwardGnn.Graphs.GraphTensors(LayerOracle.Graph("path-with-isolated"), CPU);
        var conv = GnnLayers.Create(kind, 7, 8);
        Tensor a = randn(5, 4), b = randn(5, 3);
        Tensor summed = conv.BlockProjection(a, 0).add(conv.BlockProjection(b, 4));
        Assert.True(allclose(conv.ForwardBlocks([a, b], graph), conv.FromProjection(summed, graph), rtol: 0, atol: 0));
        // A zero block adds nothing: its projection can be left out.
        Assert.True(allclose(conv.ForwardBlocks([a, zeros(5, 3)], graph), conv.FromProjection(conv.BlockProjection(a, 0), graph), rtol: 0, atol: 0));
    }
}
