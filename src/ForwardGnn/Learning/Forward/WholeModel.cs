using ForwardGnn.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// Every layer's conv as one module (submodules <c>convs.0</c> … <c>convs.{L−1}</c>), for early stopping that watches
/// the whole model (the top-down algorithms). A TorchSharp <see cref="ModuleList{T}"/> built on its own registers
/// nothing: its items only become parameters of a module that holds it as a field and calls
/// <c>RegisterComponents</c>, so checkpointing a bare list would save and restore nothing. Disposing it releases its
/// layers only if it owns them: layers that belong to local layers (or to the model a run hands them to) stay alive.
/// </summary>
internal sealed class WholeModel : nn.Module
{
    private readonly ModuleList<GraphConv> convs = new();
    private readonly GraphConv[] _layers;
    private readonly bool _ownsLayers;

    /// <param name="layers">The convs, layer 1 first.</param>
    /// <param name="ownsLayers">Dispose the convs with this module (TorchSharp's default for submodules).</param>
    public WholeModel(IEnumerable<GraphConv> layers, bool ownsLayers = false) : base(nameof(WholeModel))
    {
        _layers = layers.ToArray();
        _ownsLayers = ownsLayers;
        foreach (GraphConv conv in _layers) convs.Add(conv);
        RegisterComponents();
    }

    /// <summary>
    /// Releases the layers if it owns them. TorchSharp's own disposal would release every submodule, layers included,
    /// and offers no other way to free the module's native handle, so that handle (which holds no tensors of its own)
    /// is left to its finalizer.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsLayers)
            foreach (GraphConv conv in _layers) conv.Dispose();
        base.Dispose(false);
    }
}
