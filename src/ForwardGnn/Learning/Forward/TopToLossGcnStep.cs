using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// One SF-Top-To-Loss training step of GCN layer ℓ of L on a dense state, with its gradients written out instead of
/// taken from autograd. With the layer's input state s [N′, in] fixed during the step and R = Q ‖ VN the scored rows
/// (<see cref="ScoredRows"/>, |Q| = T training nodes, C class nodes):
/// A = Â s [N′, in], Z = ReLU(A Wᵀ + b) [N′, H] (every row: it becomes the next state),
/// M = (Z[R] + Σ_{k&gt;ℓ} s_k[R]) / m with m = L − ℓ + 1 [T + C, H], S = M_Q M_VNᵀ / τ [T, C], L = mean CE(S, y).
/// Backward: ∂L/∂S = (softmax(S) − onehot(y)) / T; ∂L/∂M_Q = ∂S · M_VN / τ, ∂L/∂M_VN = ∂Sᵀ M_Q / τ;
/// G = ∂L/∂M ⊙ [Z[R] &gt; 0] / m; ∂L/∂W = Gᵀ A[R], ∂L/∂b = Σ_rows G. Since A is fixed, the backward reads only the
/// T + C scored rows: no sparse product, no scatter into [N′, H] and no autograd graph, where the plain path
/// backpropagates through Â over every row. A test holds the loss, the gradients and Z to autograd's.
/// </summary>
internal static class TopToLossGcnStep
{
    /// <summary>Whether <paramref name="layer"/> can take this step on <paramref name="state"/> (GCN, a dense float32 state on the CPU, one rank).</summary>
    public static bool Applies(LocalLayer layer, Tensor state) =>
        layer.Conv is GcnConv && layer.Ranks is null && !state.is_sparse
        && state.dtype == ScalarType.Float32 && state.device_type == DeviceType.CPU;

    /// <summary>
    /// Sets the gradients of <paramref name="conv"/>'s weight and bias for layer <paramref name="layer"/>'s loss and
    /// returns the loss with the layer's output Z [N′, H] (owned by the caller's dispose scope).
    /// </summary>
    /// <param name="conv">conv_ℓ.</param>
    /// <param name="state">The layer's input state s_ℓ₋₁ [N′, in], already row-normalised.</param>
    /// <param name="graph">The augmented graph.</param>
    /// <param name="rows">The scored rows R (training nodes, then class nodes) and τ.</param>
    /// <param name="upper">k ↦ s_k[R] [T + C, H] for the layers above (ℓ &lt; k ≤ L).</param>
    /// <param name="layer">ℓ, 1-based.</param>
    /// <param name="depth">L.</param>
    /// <param name="labels">y of the training nodes [T].</param>
    public static (float Loss, Tensor Output) SetGradients(GcnConv conv, Tensor state, GraphTensors graph, ScoredRows rows,
        Func<int, Tensor> upper, int layer, int depth, long[] labels)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int t = (int)rows.Queried, c = (int)rows.Classes;
        Tensor aggregated = conv.Aggregate(state, graph);
        Tensor z = aggregated.mm(conv.Weight.t());
        RowKernels.AddBiasRelu(z, conv.Bias);
        Tensor zRows = z.index_select(0, rows.All), aRows = aggregated.index_select(0, rows.All);
        Tensor merged = TopToLossSweep.Merged(layer, depth, zRows, upper);
        Tensor mq = merged.narrow(0, 0, t), mv = merged.narrow(0, t, c);
        Tensor scores = mq.mm(mv.t());
        double loss = RowKernels.SoftmaxCrossEntropy(scores, labels, (float)(1 / rows.Temperature));   // scores become ∂L/∂(M_Q M_VNᵀ)
        Tensor gradQ = scores.mm(mv), gradV = scores.t().mm(mq);
        Tensor biasGrad = zeros_like(conv.Bias);
        RowKernels.MaskByPositiveAndSum(gradQ, zRows.narrow(0, 0, t), biasGrad);
        RowKernels.MaskByPositiveAndSum(gradV, zRows.narrow(0, t, c), biasGrad);
        Tensor weightGrad = gradQ.t().mm(aRows.narrow(0, 0, t));
        weightGrad.addmm_(gradV.t(), aRows.narrow(0, t, c));
        if (layer < depth)
        {
            Scalar merges = HeldScalars.Of(depth - layer + 1);   // ∂M/∂Z = 1/m, applied to the small gradients
            weightGrad.div_(merges);
            biasGrad.div_(merges);
        }
        conv.Weight.grad = weightGrad.MoveToOuterDisposeScope();
        conv.Bias.grad = biasGrad.MoveToOuterDisposeScope();
        return ((float)loss, z.MoveToOuterDisposeScope());
    }
}
