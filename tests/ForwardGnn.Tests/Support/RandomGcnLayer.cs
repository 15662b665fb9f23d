using ForwardGnn.Data;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Support;

/// <summary>
/// The set-up of the written-out GCN steps' tests against autograd: a random multigraph, a GCN layer whose bias is
/// random (some units dead, some alive) and sparse features [N, F] with about a third of the entries set. The graph
/// and the features draw from <c>new Random(seed)</c>, the layer from libtorch's generator (seed it first).
/// </summary>
internal sealed class RandomGcnLayer : IDisposable
{
    public RandomGcnLayer(int nodes, int edges, int inputs, int hidden, int seed)
    {
        var random = new Random(seed);
        int[] source = Enumerable.Range(0, edges).Select(_ => random.Next(nodes)).ToArray();
        int[] target = Enumerable.Range(0, edges).Select(_ => random.Next(nodes)).ToArray();
        Graph = new GraphTensors(EdgeIndex.Build(nodes, source, target), CPU);
        Conv = new GcnConv(inputs, hidden);
        using (no_grad()) Conv.Bias.copy_(randn(hidden).mul(0.3));
        float[] dense = Enumerable.Range(0, nodes * inputs).Select(_ => random.Next(3) == 0 ? (float)random.NextDouble() : 0f).ToArray();
        SparseFeatures = ForwardGnn.Layers.SparseFeatures.Create(CsrMatrix.FromDense(nodes, inputs, dense), CPU);
    }

    /// <summary>The graph's edges and its GCN operator Â.</summary>
    public GraphTensors Graph { get; }

    /// <summary>The layer: W [hidden, inputs], b [hidden].</summary>
    public GcnConv Conv { get; }

    /// <summary>The features as a sparse tensor [N, F].</summary>
    public Tensor SparseFeatures { get; }

    public void Dispose() => Graph.Dispose();
}
