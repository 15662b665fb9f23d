using ForwardGnn.Graphs;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Layers;

/// <summary>
/// A graph convolution: maps node features x [N, in] (dense or sparse COO) on a graph to [N, out]. Subclasses
/// follow PyTorch Geometric 2.2's conv of the same name, parameters and initialisation included.
/// </summary>
public abstract class GraphConv(string name, int inChannels, int outChannels) : nn.Module<Tensor, GraphTensors, Tensor>(name)
{
    public int InChannels { get; } = inChannels;
    public int OutChannels { get; } = outChannels;

    /// <summary>x Wᵀ for dense or sparse x (<see cref="SparseFeatures"/>).</summary>
    protected static Tensor Project(Tensor x, Tensor weight) => SparseFeatures.Project(x, weight);
}
