using ForwardGnn.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// One SF training step of a GCN layer whose aggregate is cached, with its gradients written out instead of taken
/// from autograd. With A = (Â·LN(input))[train ‖ VN] [T + C, in] fixed:
/// Z = ReLU(A Wᵀ + b) [T + C, H], S = Z_T Z_Vᵀ / τ [T, C] (Z_T: the training rows, Z_V: the virtual nodes'),
/// L = mean CE(S, y). Backward: ∂L/∂S = (softmax(S) − onehot(y)) / T; ∂L/∂Z_T = ∂S · Z_V / τ,
/// ∂L/∂Z_V = ∂Sᵀ Z_T / τ; G = ∂L/∂Z ⊙ [Z &gt; 0]; ∂L/∂W = Gᵀ A, ∂L/∂b = Σ_rows G. Four GEMMs (two [T + C]-row, two
/// C-wide) and three passes of this class over the rows (bias and ReLU; the loss and its gradient; the mask with the
/// bias gradient), where the autograd path makes about twenty operations, several of them full passes. A test holds
/// its loss and gradients to autograd's.
/// </summary>
internal static class SingleForwardGcnStep
{
    /// <summary>Whether <paramref name="layer"/> can take this step on <paramref name="input"/> (GCN, cached aggregate, float32 on the CPU, one rank).</summary>
    public static bool Applies(LocalLayer layer, Tensor input) =>
        layer.Conv is GcnConv && layer.Ranks is (null or { Size: 1 }) && layer.CacheFixedInputs && !input.is_sparse
        && input.dtype == ScalarType.Float32 && input.device_type == DeviceType.CPU;

    /// <summary>
    /// Sets the gradients of <paramref name="conv"/>'s weight and bias for the SF loss on the aggregate rows
    /// <paramref name="aggregated"/> = A [T + C, in] (training rows first) and returns the loss.
    /// </summary>
    public static float SetGradients(GcnConv conv, Tensor aggregated, long[] trainLabels, double temperature)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int t = trainLabels.Length, rows = (int)aggregated.shape[0], c = rows - t;
        Tensor z = aggregated.mm(conv.Weight.t());
        RowKernels.AddBiasRelu(z, conv.Bias);
        Tensor zt = z.narrow(0, 0, t), zv = z.narrow(0, t, c);
        Tensor scores = zt.mm(zv.t());
        float invTau = (float)(1 / temperature);
        double loss = RowKernels.SoftmaxCrossEntropy(scores, trainLabels, invTau);   // scores become ∂L/∂S_raw
        Tensor gradT = scores.mm(zv), gradV = scores.t().mm(zt);
        Tensor biasGrad = zeros_like(conv.Bias);
        RowKernels.MaskByPositiveAndSum(gradT, zt, biasGrad);
        RowKernels.MaskByPositiveAndSum(gradV, zv, biasGrad);
        Tensor weightGrad = gradT.t().mm(aggregated.narrow(0, 0, t));
        weightGrad.addmm_(gradV.t(), aggregated.narrow(0, t, c));
        conv.Weight.grad = weightGrad.MoveToOuterDisposeScope();
        conv.Bias.grad = biasGrad.MoveToOuterDisposeScope();
        return (float)loss;
    }
}
