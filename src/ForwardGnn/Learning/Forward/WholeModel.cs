using ForwardGnn.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// Every layer's conv as one module (submodules <c>convs.0</c> … <c>convs.{L−1}</c>), for early stopping that watches
/// the whole model (the top-down algorithms). A TorchSharp <see cref="ModuleList{T}"/> built on its own registers
/// nothing: its items only become parameters of a module that holds it as a field and calls
/// <c>RegisterComponents</c>, so checkpointing a bare list would save and restore nothing.
/// </summary>
public sealed class WholeModel : nn.Module
{
    private readonly ModuleList<GraphConv> convs = new();

    public WholeModel(IEnumerable<GraphConv> layers) : base(nameof(WholeModel))
    {
        foreach (GraphConv conv in layers) convs.Add(conv);
        RegisterComponents();
    }
}
