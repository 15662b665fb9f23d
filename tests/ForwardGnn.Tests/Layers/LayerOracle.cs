using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Layers;

/// <summary>Small graphs, dense adjacency matrices and a finite-difference gradient check shared by the layer tests.</summary>
internal static class LayerOracle
{
    /// <summary>Graphs covering the edge cases: isolated node, existing self-loop, duplicates, one node, no edges.</summary>
    public static TheoryData<string> GraphNames() => new() { "path-with-isolated", "self-loop-and-duplicates", "one-node", "no-edges" };

    public static EdgeIndex Graph(string name) => name switch
    {
        "path-with-isolated" => EdgeIndex.Build(5, [0, 1, 2, 0], [1, 2, 3, 3]),
        "self-loop-and-duplicates" => EdgeIndex.Build(4, [0, 0, 1, 2, 2, 3], [1, 1, 1, 2, 3, 0], removeSelfLoops: false, symmetrise: true),
        "one-node" => EdgeIndex.Build(1, [], []),
        "no-edges" => EdgeIndex.Build(3, [], []),
        _ => throw new ArgumentException(name),
    };

    /// <summary>A[t, s] = 1 for every edge s → t.</summary>
    public static Tensor Adjacency(EdgeIndex g)
    {
        var a = zeros(g.NumNodes, g.NumNodes, dtype: ScalarType.Float64);
        for (int e = 0; e < g.Count; e++) a[g.Target[e], g.Source[e]] = 1.0;
        return a;
    }

    public static Tensor Parameter(nn.Module m, string name) => m.named_parameters().Single(p => p.name == name).parameter;

    /// <summary>
    /// Checks d(Σ out ⊙ R)/d(param) from autograd against central differences for every parameter (double precision).
    /// </summary>
    public static void CheckGradients(GraphConv conv, Tensor x, GraphTensors graph)
    {
        var r = randn(graph.NumNodes, conv.OutChannels, dtype: ScalarType.Float64, generator: new Generator(3));
        double Objective() => conv.call(x, graph).mul(r).sum().item<double>();
        conv.zero_grad();
        conv.call(x, graph).mul(r).sum().backward();
        foreach ((string name, var p) in conv.named_parameters())
        {
            Tensor analytic = p.grad!.flatten().clone();
            using var _ = no_grad();
            Tensor flat = p.view(-1);
            for (int i = 0; i < flat.shape[0]; i += Math.Max(1, (int)flat.shape[0] / 7))
            {
                double original = flat[i].item<double>();
                flat[i] = original + 1e-6; double plus = Objective();
                flat[i] = original - 1e-6; double minus = Objective();
                flat[i] = original;
                double numeric = (plus - minus) / 2e-6;
                Assert.True(Math.Abs(numeric - analytic[i].item<double>()) < 1e-6 * (1 + Math.Abs(numeric)),
                    $"{name}[{i}]: autograd {analytic[i].item<double>()} vs finite difference {numeric}");
            }
        }
    }

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance = 1e-10)
    {
        Assert.Equal(expected.shape, actual.shape);
        double error = expected.numel() == 0 ? 0 : (expected - actual).abs().max().item<double>();
        Assert.True(error < tolerance, $"max abs error {error}");
    }
}
