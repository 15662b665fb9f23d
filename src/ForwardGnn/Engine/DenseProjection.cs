using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Engine;

/// <summary>
/// y = x Wᵀ for x [N, in] and W [out, in] → [N, out], with the weight's gradient formed in W's own layout:
/// ∂L/∂W = Gᵀ x ([out, N]·[N, in]) and ∂L/∂x = G W. libtorch's <c>mm</c> backward forms xᵀ G ([in, N]·[N, out]) and
/// then copies it into W's layout; for a narrow output (a classifier's C columns) that product is the slow shape of
/// the GEMM (on this machine [128, N]·[N, 7] takes 4–6× as long as [7, N]·[N, 128]), and every layer pays the
/// transposing copy. Gradients are computed only for the inputs that require them.
/// </summary>
internal static class DenseProjection
{
    /// <summary>x Wᵀ, differentiable in x and W as each requires.</summary>
    public static Tensor Apply(Tensor x, Tensor weight) =>
        x.dim() == 2 && weight.dim() == 2 && (x.requires_grad || weight.requires_grad) && is_grad_enabled()
            ? Function.apply(x, weight)
            : x.matmul(weight.t());

    private sealed class Function : autograd.SingleTensorFunction<Function>
    {
        public override string Name => nameof(DenseProjection);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            var weight = (Tensor)vars[1];
            ctx.save_data("x", x.requires_grad);
            ctx.save_data("w", weight.requires_grad);
            ctx.save_for_backward([x, weight]);
            return x.mm(weight.t());
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            var saved = ctx.get_saved_variables();
            Tensor? dx = (bool)ctx.get_data("x") ? grad.mm(saved[1]) : null;
            Tensor? dw = (bool)ctx.get_data("w") ? grad.t().mm(saved[0]) : null;
            return [dx!, dw!];
        }
    }
}
