using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForwardGnn.Engine;

/// <summary>
/// SGD with momentum and L2 weight decay, the update of <c>torch.optim.SGD</c> (dampening 0, no Nesterov):
/// g = ∇ + λθ; b ← g on the first step, else b ← μb + g; θ ← θ − lr · b.
/// TorchSharp's own SGD passes libtorch Scalars it does not hold (see <see cref="HeldScalars"/>); this one holds them.
/// </summary>
internal sealed class MomentumSgd : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor?[] _buffers;
    private readonly double _lr, _momentum, _weightDecay;

    public MomentumSgd(IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay = 0)
    {
        _parameters = parameters.ToArray();
        _buffers = new Tensor?[_parameters.Length];
        (_lr, _momentum, _weightDecay) = (lr, momentum, weightDecay);
    }

    /// <summary>Drops every parameter's gradient, as PyTorch's <c>zero_grad(set_to_none=True)</c>.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter p in _parameters) p.grad = null;
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            using var scope = NewDisposeScope();
            Tensor? grad = _parameters[i].grad;
            if (grad is null) continue;
            Tensor g = grad.add(_parameters[i], alpha: HeldScalars.Of(_weightDecay));
            _buffers[i] = _buffers[i] is { } b ? b.mul_(HeldScalars.Of(_momentum)).add_(g, HeldScalars.One) : g.clone().DetachFromDisposeScope();
            _parameters[i].add_(_buffers[i]!, alpha: HeldScalars.Of(-_lr));
        }
    }

    public void Dispose()
    {
        foreach (Tensor? b in _buffers) b?.Dispose();
    }
}
