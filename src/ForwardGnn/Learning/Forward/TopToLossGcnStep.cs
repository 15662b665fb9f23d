using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// One SF-Top-To-Loss training step of a GCN layer ℓ of L, with its gradients written out instead of taken from
/// autograd. With the layer's input state s [N′, in] fixed during the step and R = Q ‖ VN the scored rows
/// (<see cref="ScoredRows"/>, |Q| = T training nodes, C class nodes):
/// A = Â s [N′, in], Z = ReLU(A Wᵀ + b) [N′, H] (every row: it becomes the next state),
/// M = (Z[R] + a_ℓ) / m with a_ℓ = Σ_{k&gt;ℓ} s_k[R] and m = L − ℓ + 1 [T + C, H], S = M_Q M_VNᵀ / τ [T, C],
/// L = mean CE(S, y).
/// Backward: ∂L/∂S = (softmax(S) − onehot(y)) / T; ∂L/∂M_Q = ∂S · M_VN / τ, ∂L/∂M_VN = ∂Sᵀ M_Q / τ;
/// G = ∂L/∂M ⊙ [Z[R] &gt; 0] / m [T + C, H]; ∂L/∂W = Gᵀ A[R], ∂L/∂b = Σ_rows G. The backward reads only the T + C
/// scored rows, where the plain path backpropagates through Â over every row.
/// On a dense state A is formed; on the sparse features of layer 1 (s = LN(X_aug), [N′, F]) it never is: Z = ReLU(Â (s Wᵀ) + b)
/// and ∂L/∂Wᵀ = sᵀ (Â[R, :]ᵀ G), two sparse products of s and one of G through the scored rows of Â.
/// The top layer's Z is read only on R (no layer takes it as input, and the merges below read s_L[R]), so there
/// A and Z are made on the rows R alone, through Â[R, :]: the same rows bit for bit, |R| of N′ rows' work.
/// A test holds the loss, the gradients and Z to autograd's.
/// </summary>
internal sealed class TopToLossGcnStep(GraphTensors graph, ScoredRows rows, long[] labels)
{
    private readonly int[] _rows = IndexArrays.From(rows.All);
    private int[] Queried => _queried ??= _rows[..(int)rows.Queried];
    private int[] Classes => _classes ??= _rows[(int)rows.Queried..];
    private int[]? _queried, _classes;
    private SparseOperator? _scoredAdjacency;

    /// <summary>Â[R, :], the scored rows of the adjacency in R's order.</summary>
    private SparseOperator ScoredAdjacency => _scoredAdjacency ??= graph.GcnAdjacency.SelectRows(_rows);

    /// <summary>Whether <paramref name="layer"/> can take this step on <paramref name="state"/>: GCN, one rank, a float32 state on the CPU, dense or sparse features built by <see cref="SparseFeatures"/>.</summary>
    public static bool Applies(LocalLayer layer, Tensor state) =>
        layer.Conv is GcnConv && layer.Ranks is null && state.dtype == ScalarType.Float32 && state.device_type == DeviceType.CPU
        && (!state.is_sparse || SparseFeatures.OperatorOf(state) is not null);

    /// <summary>
    /// Sets the gradients of <paramref name="conv"/>'s weight and bias for layer ℓ's loss and returns the loss with the
    /// layer's output Z [N′, H] (owned by the caller's dispose scope); for the top layer (<paramref name="above"/>
    /// empty) Z[R] [T + C, H], the rows R in their order.
    /// </summary>
    /// <param name="conv">conv_ℓ.</param>
    /// <param name="state">The layer's input state s_ℓ₋₁ [N′, in], already row-normalised: dense, or layer 1's sparse features.</param>
    /// <param name="above">s_{ℓ+1}[R] … s_L[R], [T + C, H] each, contiguous: the states the merge averages z with, summed
    /// as <see cref="TopToLossSweep.SumAbove"/> sums them (m = L − ℓ + 1 = their count + 1); empty for the top layer.</param>
    /// <param name="projection">On sparse features, s Wᵀ [N′, H] if the caller has computed it for this W.</param>
    public (float Loss, Tensor Output) SetGradients(GcnConv conv, Tensor state, IReadOnlyList<Tensor> above, Tensor? projection = null)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int t = (int)rows.Queried, c = (int)rows.Classes;
        bool top = above.Count == 0;   // Z is made on R alone (the summary)
        SparseOperator adjacency = top ? ScoredAdjacency : graph.GcnAdjacency;
        SparseOperator? features = SparseFeatures.OperatorOf(state);
        Tensor? aggregated = null;
        Tensor z;
        if (features is null)
        {
            aggregated = adjacency.Product(state);   // conv.Aggregate without its autograd node
            z = aggregated.mm(conv.Weight.t());
            RowKernels.AddBiasRelu(z, conv.Bias);
        }
        else z = adjacency.Product(projection ?? features.Product(conv.Weight.t()), conv.Bias, relu: true);
        int merges = above.Count + 1;
        Tensor merged = top ? z : RowKernels.MergedRows(z, _rows, above);   // Z[R] is read in place: never gathered on its own
        Tensor mq = merged.narrow(0, 0, t), mv = merged.narrow(0, t, c);
        Tensor scores = mq.mm(mv.t());
        double loss = RowKernels.SoftmaxCrossEntropy(scores, labels, (float)(1 / rows.Temperature));   // scores become ∂L/∂(M_Q M_VNᵀ)
        Tensor gradQ = scores.mm(mv), gradV = scores.t().mm(mq);
        Tensor biasGrad = zeros_like(conv.Bias);
        RowKernels.MaskByPositiveAndSum(gradQ, top ? z.narrow(0, 0, t) : z, top ? null : Queried, biasGrad);
        RowKernels.MaskByPositiveAndSum(gradV, top ? z.narrow(0, t, c) : z, top ? null : Classes, biasGrad);
        Tensor weightGrad;
        if (aggregated is not null)
        {
            Tensor aRows = top ? aggregated : aggregated.index_select(0, rows.All);
            weightGrad = gradQ.t().mm(aRows.narrow(0, 0, t));
            weightGrad.addmm_(gradV.t(), aRows.narrow(0, t, c));
        }
        else weightGrad = SparseFeatures.WeightGradient(features!, ScoredAdjacency, cat([gradQ, gradV]), conv.Weight);
        if (merges > 1)
        {
            Scalar m = HeldScalars.Of(merges);   // ∂M/∂Z = 1/m, applied to the small gradients
            weightGrad.div_(m);
            biasGrad.div_(m);
        }
        conv.Weight.grad = weightGrad.MoveToOuterDisposeScope();
        conv.Bias.grad = biasGrad.MoveToOuterDisposeScope();
        return ((float)loss, z.MoveToOuterDisposeScope());
    }
}
