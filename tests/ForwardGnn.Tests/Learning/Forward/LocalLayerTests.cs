using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class LocalLayerTests
{
    [Theory]
    [InlineData(GnnKind.Gcn)]
    [InlineData(GnnKind.Sage)]
    [InlineData(GnnKind.Gat)]
    public void NoGradientCrossesALayerBoundary(GnnKind kind)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var graph = new GraphTensors(EdgeIndex.Build(6, [0, 1, 2, 3, 4], [1, 2, 3, 4, 5]), CPU);
        using var lower = new LocalLayer(GnnLayers.Create(kind, 5, 8), 0.01, 5e-4, normalizeInput: true);
        using var upper = new LocalLayer(GnnLayers.Create(kind, 8, 8), 0.01, 5e-4, normalizeInput: true);
        Tensor x = randn(6, 5);

        // The lower layer's output still carries its autograd graph, as a careless caller might pass it on.
        Tensor hidden = lower.Forward(x, graph);
        Assert.True(hidden.requires_grad);
        Tensor[] before = lower.Conv.parameters().Select(p => p.detach().clone()).ToArray();
        Tensor[] upperBefore = upper.Conv.parameters().Select(p => p.detach().clone()).ToArray();

        upper.Step(hidden, graph, z => z.pow(2).sum());

        var lowerParameters = lower.Conv.parameters().ToArray();
        for (int i = 0; i < before.Length; i++)
        {
            Assert.True(before[i].eq(lowerParameters[i]).all().item<bool>(), "a lower-layer parameter changed");
            Assert.Null(lowerParameters[i].grad);
        }
        Assert.Contains(upper.Conv.parameters().Zip(upperBefore), p => !p.First.allclose(p.Second, 0, 0));
    }
}
