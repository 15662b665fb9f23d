using ForwardGnn.Engine;
using ForwardGnn.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// One SF training step of a GCN layer with its gradients written out instead of taken from autograd, on the scored
/// rows R = train ‖ VN (T training rows, then C virtual nodes) only:
/// Z = ReLU(A Wᵀ + b) [T + C, H], S = Z_T Z_Vᵀ / τ [T, C] (Z_T: the training rows, Z_V: the virtual nodes'),
/// L = mean CE(S, y). Backward: ∂L/∂S = (softmax(S) − onehot(y)) / T; ∂L/∂Z_T = ∂S · Z_V / τ,
/// ∂L/∂Z_V = ∂Sᵀ Z_T / τ; G = ∂L/∂Z ⊙ [Z &gt; 0]; ∂L/∂W = Gᵀ A, ∂L/∂b = Σ_rows G.
/// Two entry points, one tail (from Z to G and ∂L/∂b):
/// on a cached dense aggregate A = (Â·LN(input))[R] [T + C, in], four GEMMs (two [T + C]-row, two C-wide) and three
/// passes of <see cref="RowKernels"/> over the rows (bias and ReLU; the loss and its gradient; the mask with the bias
/// gradient), where the autograd path makes about twenty operations, several of them full passes;
/// on layer 1's sparse features s = LN(X_aug) [N′, F] (built by <see cref="SparseFeatures"/>), A = Â[R, :] s is never
/// formed: P = s Wᵀ [N′, H], Z = ReLU(Â[R, :] P + b), and ∂L/∂Wᵀ = sᵀ (Â[R, :]ᵀ G) [F, H], three sparse products, with
/// W laid out transposed while the layer trains (<see cref="ParameterLayout"/>) so neither s Wᵀ nor sᵀ(·) copies W.
/// Tests hold both entry points' losses and gradients to autograd's.
/// </summary>
internal static class SingleForwardGcnStep
{
    /// <summary>Whether <paramref name="layer"/> can take this step on <paramref name="input"/> (GCN, cached aggregate, float32 on the CPU, one rank).</summary>
    public static bool Applies(LocalLayer layer, Tensor input) =>
        layer.Conv is GcnConv && layer.Ranks is (null or { Size: 1 }) && layer.CacheFixedInputs && !input.is_sparse
        && input.dtype == ScalarType.Float32 && input.device_type == DeviceType.CPU;

    /// <summary>
    /// Whether <paramref name="layer"/> can take the sparse-features step on <paramref name="input"/>: GCN, one rank,
    /// float32 on the CPU, and <paramref name="input"/> sparse features made by <see cref="SparseFeatures"/> (their operator kept beside them).
    /// </summary>
    public static bool AppliesToSparse(LocalLayer layer, Tensor input) =>
        layer.Conv is GcnConv && layer.Ranks is (null or { Size: 1 }) && input.dtype == ScalarType.Float32
        && input.device_type == DeviceType.CPU && SparseFeatures.OperatorOf(input) is not null;

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
        (double loss, Tensor gradT, Tensor gradV, Tensor biasGrad) = Backward(z, trainLabels, temperature);
        Tensor weightGrad = gradT.t().mm(aggregated.narrow(0, 0, t));
        weightGrad.addmm_(gradV.t(), aggregated.narrow(0, t, c));
        conv.Weight.grad = weightGrad.MoveToOuterDisposeScope();
        conv.Bias.grad = biasGrad.MoveToOuterDisposeScope();
        return (float)loss;
    }

    /// <summary>
    /// Sets the gradients of <paramref name="conv"/>'s weight and bias for the SF loss of layer 1 on sparse features
    /// and returns the loss: Z = ReLU(Â[R, :] (s Wᵀ) + b) [T + C, H] (<see cref="ForwardRows"/>), then
    /// ∂L/∂Wᵀ = sᵀ (Â[R, :]ᵀ G) [F, H], handed to W in W's layout (a transposed view where W is laid out transposed).
    /// </summary>
    /// <param name="conv">Layer 1's conv, W [H, F] (best laid out transposed, <see cref="ParameterLayout"/>).</param>
    /// <param name="features">s = LN(X_aug) [N′, F] as a sparse operator (<see cref="SparseFeatures.OperatorOf"/>).</param>
    /// <param name="scoredAdjacency">Â[R, :] [T + C, N′]: the rows of Â for the training nodes, then the virtual nodes
    /// (<see cref="SparseOperator.SelectRows"/> of the graph's GCN operator).</param>
    /// <param name="trainLabels">y of the T training rows.</param>
    /// <param name="temperature">τ.</param>
    /// <param name="projection">P = s Wᵀ [N′, H] if the caller has made it for this W (a validation check's); null: made here.</param>
    public static float SetGradients(GcnConv conv, SparseOperator features, SparseOperator scoredAdjacency, long[] trainLabels, double temperature,
        Tensor? projection = null)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Tensor z = ForwardRows(conv, projection ?? features.Product(conv.Weight.t()), scoredAdjacency);
        (double loss, Tensor gradT, Tensor gradV, Tensor biasGrad) = Backward(z, trainLabels, temperature);
        Tensor weightGrad = SparseFeatures.WeightGradient(features, scoredAdjacency, cat([gradT, gradV]), conv.Weight);
        conv.Weight.grad = weightGrad.MoveToOuterDisposeScope();
        conv.Bias.grad = biasGrad.MoveToOuterDisposeScope();
        return (float)loss;
    }

    /// <summary>
    /// Rows of layer 1's output from its projection, without autograd: ReLU(Â[rows, :] P + b) [|rows|, H] for
    /// P = s Wᵀ [N′, H] and <paramref name="rowsAdjacency"/> = Â[rows, :] [|rows|, N′]; each row bit for bit the full
    /// layer's (<see cref="SparseOperator.SelectRows"/> keeps each row's entries in order).
    /// </summary>
    public static Tensor ForwardRows(GcnConv conv, Tensor projection, SparseOperator rowsAdjacency)
    {
        using var _ = no_grad();
        return rowsAdjacency.Product(projection, conv.Bias, relu: true);
    }

    /// <summary>
    /// The step's tail from Z = ReLU(A Wᵀ + b) [T + C, H] (training rows first, contiguous): the loss, the masked
    /// gradients G_T = ∂L/∂Z_T ⊙ [Z_T &gt; 0] [T, H] and G_V = ∂L/∂Z_V ⊙ [Z_V &gt; 0] [C, H], and ∂L/∂b = Σ_rows G [H].
    /// </summary>
    private static (double Loss, Tensor GradT, Tensor GradV, Tensor BiasGrad) Backward(Tensor z, long[] trainLabels, double temperature)
    {
        int t = trainLabels.Length, c = (int)z.shape[0] - t;
        Tensor zt = z.narrow(0, 0, t), zv = z.narrow(0, t, c);
        Tensor scores = zt.mm(zv.t());
        float invTau = (float)(1 / temperature);
        double loss = RowKernels.SoftmaxCrossEntropy(scores, trainLabels, invTau);   // scores become ∂L/∂S_raw
        Tensor gradT = scores.mm(zv), gradV = scores.t().mm(zt);
        Tensor biasGrad = zeros(z.shape[1], dtype: z.dtype);
        RowKernels.MaskByPositiveAndSum(gradT, zt, biasGrad);
        RowKernels.MaskByPositiveAndSum(gradV, zv, biasGrad);
        return (loss, gradT, gradV, biasGrad);
    }
}
