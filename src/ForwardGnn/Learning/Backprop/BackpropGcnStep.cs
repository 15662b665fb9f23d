using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Backprop;

/// <summary>
/// The BP-GCN node-classification step with its gradients written out instead of taken from autograd. Layers
/// h_l = ReLU(Â P_l + b_l), P_l = h_{l−1} W_lᵀ [N, H] for l &lt; L (h_0 = x [N, F], sparse or dense); the output only
/// where the loss and validation read it: o = Â[R, :] (h_{L−1} W_Lᵀ) + b_L [T + V, C] for R the training rows (T)
/// then the validation rows (V); the loss L = mean CE(o_T, y). The narrow classifier projects first
/// (Q = h_{L−1} W_Lᵀ [N, C]) and aggregates only the rows R; a layer this narrow above the first takes its product
/// and the backward's three (∂W, ∂h with the ReLU mask, the bias sum below) in single passes over h (<see cref="NarrowProducts"/>).
/// Backward: G_L = (softmax(o_T) − onehot(y)) / T [T, C]; ∂b_L = Σ_rows G_L; ∂Q = Â[train, :]ᵀ G_L [N, C] (only
/// the training rows' entries, added into [N, C] zeros: no [N, C] gradient of o and no pass over all of Â); ∂W_L = ∂Qᵀ h_{L−1}; ∂h_{L−1} = ∂Q W_L. Then for l = L − 1 … 1:
/// G_l = ∂h_l ⊙ [h_l &gt; 0], ∂b_l = Σ_rows G_l (one pass); ∂P_l = Âᵀ G_l; ∂W_l = ∂P_lᵀ h_{l−1} (layer 1 with sparse
/// x: (xᵀ ∂P_1)ᵀ through x's CSR); ∂h_{l−1} = ∂P_l W_l. With sparse x, W₁ is laid out transposed in memory while
/// the step lives (no transposing copies of W₁ or its gradient). Applies to GCN on the CPU in float32 on one process;
/// a test holds its loss and gradients to autograd's.
/// </summary>
internal sealed class BackpropGcnStep : IDisposable
{
    private readonly GcnConv[] _convs;
    private readonly Tensor _x;
    private readonly SparseOperator? _features;
    private readonly SparseOperator _adjacency;
    private readonly SparseOperator _outputRows;
    private readonly SparseOperator _trainRows;
    private readonly long[] _trainLabels;
    private readonly long[] _valLabels;
    private readonly List<Tensor> _hidden = [];

    private BackpropGcnStep(GcnConv[] convs, Tensor x, GraphTensors graph, int[] train, int[] val, long[] labels)
    {
        _convs = convs;
        _x = x;
        _features = SparseFeatures.OperatorOf(x);
        _adjacency = graph.GcnAdjacency;
        _outputRows = _adjacency.SelectRows([.. train, .. val]);
        _trainRows = _adjacency.SelectRows(train);
        _trainLabels = train.Select(i => labels[i]).ToArray();
        _valLabels = val.Select(i => labels[i]).ToArray();
        if (_features is not null) ParameterLayout.Set(_convs[0].Weight, transposed: true);
    }

    /// <summary>
    /// The step for <paramref name="model"/> on x [N, F] and <paramref name="graph"/> when it applies (every conv a
    /// GCN with float32 CPU parameters; x dense float32 on the CPU, or sparse with a CSR operator beside it); else null.
    /// </summary>
    /// <param name="model">The model whose convs' gradients the step sets.</param>
    /// <param name="x">Node features [N, F].</param>
    /// <param name="graph">The graph (Â).</param>
    /// <param name="train">Training node ids [T].</param>
    /// <param name="val">Validation node ids [V].</param>
    /// <param name="labels">Every node's class [N].</param>
    public static BackpropGcnStep? For(BasicGnn model, Tensor x, GraphTensors graph, int[] train, int[] val, long[] labels)
    {
        if (model.Convs.Any(c => c is not GcnConv g || !IsPlain(g.Weight) || !IsPlain(g.Bias))) return null;
        if (x.is_sparse ? SparseFeatures.OperatorOf(x) is null : !IsPlain(x)) return null;
        if (graph.Device.type != DeviceType.CPU) return null;
        return new BackpropGcnStep([.. model.Convs.Cast<GcnConv>()], x, graph, train, val, labels);
    }

    private static bool IsPlain(Tensor t) => t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32;

    /// <summary>
    /// The forward: o [T + V, C], training rows first. Keeps the hidden activations for <see cref="SetGradients"/>;
    /// they belong to the caller's dispose scope.
    /// </summary>
    public Tensor Forward()
    {
        using var _ = no_grad();
        _hidden.Clear();
        Tensor h = _x;
        for (int l = 0; l < _convs.Length - 1; l++)
        {
            using Tensor projected = Project(l, h);
            h = _adjacency.Product(projected, _convs[l].Bias, relu: true);
            _hidden.Add(h);
        }
        using Tensor q = Project(_convs.Length - 1, h);
        return _outputRows.Product(q, _convs[^1].Bias);
    }

    /// <summary>Accuracy (%) of the validation rows of a <see cref="Forward"/> output.</summary>
    public double ValidationAccuracy(Tensor output)
    {
        using var _ = no_grad();
        using Tensor predicted = output.narrow(0, _trainLabels.Length, _valLabels.Length).argmax(1);
        return Training.Metrics.Accuracy(predicted.data<long>().ToArray(), _valLabels);
    }

    /// <summary>
    /// Sets every parameter's gradient of the mean cross-entropy on the training rows of <paramref name="output"/>
    /// (the last <see cref="Forward"/>'s, whose training rows this overwrites) and returns the loss.
    /// </summary>
    public float SetGradients(Tensor output)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int last = _convs.Length - 1;
        Tensor g = output.narrow(0, 0, _trainLabels.Length);   // the first rows of a contiguous tensor: contiguous
        double loss = RowKernels.SoftmaxCrossEntropy(g, _trainLabels, 1f);   // g becomes ∂L/∂o_T
        SetGrad(_convs[last].Bias, g.sum(0L));
        Tensor grad = _trainRows.ScatterTransposed(g);   // ∂L/∂Q [N, C]: T rows' entries into N × C zeros
        for (int l = last; l > 0; l--)
        {
            Tensor masked;   // ∂L/∂h_{l−1} ⊙ [h_{l−1} > 0] [N, H]
            if (IsNarrow(l))
            {
                (Tensor weightGrad, masked, Tensor biasGrad) = NarrowProducts.Backward(grad, _hidden[l - 1], _convs[l].Weight);
                SetGrad(_convs[l].Weight, weightGrad);
                SetGrad(_convs[l - 1].Bias, biasGrad);
            }
            else
            {
                SetGrad(_convs[l].Weight, WeightGradient(l, grad, _hidden[l - 1]));
                masked = grad.mm(_convs[l].Weight);
                Tensor biasGrad = zeros_like(_convs[l - 1].Bias);
                RowKernels.MaskByPositiveAndSum(masked, _hidden[l - 1], biasGrad);
                SetGrad(_convs[l - 1].Bias, biasGrad);
            }
            grad.Dispose();
            grad = _adjacency.TransposedProduct(masked);   // ∂L/∂P_{l−1}
            masked.Dispose();
        }
        SetGrad(_convs[0].Weight, WeightGradient(0, grad, _x));
        return (float)loss;
    }

    /// <summary>Widest output a layer above the first computes through <see cref="NarrowProducts"/> instead of GEMMs.</summary>
    private const int NarrowAtMost = 16;

    /// <summary>Whether layer <paramref name="layer"/> (≥ 1) is narrow enough for <see cref="NarrowProducts"/>.</summary>
    private bool IsNarrow(int layer) =>
        layer > 0 && _convs[layer].OutChannels <= NarrowAtMost && _convs[layer].Weight.is_contiguous();

    /// <summary>h Wᵀ for layer <paramref name="layer"/>: through x's CSR for sparse features.</summary>
    private Tensor Project(int layer, Tensor h) =>
        layer == 0 && _features is not null ? _features.Product(_convs[0].Weight.t())
        : IsNarrow(layer) ? NarrowProducts.Project(h, _convs[layer].Weight)
        : h.mm(_convs[layer].Weight.t());

    /// <summary>∂L/∂W = Gᵀ h [out, in] for G [N, out]; with sparse features (xᵀ G)ᵀ through x's transposed CSR.</summary>
    private Tensor WeightGradient(int layer, Tensor grad, Tensor input)
    {
        if (layer > 0 || _features is null) return grad.t().mm(input);
        using Tensor transposed = _features.TransposedProduct(grad);   // [F, out]
        return ParameterLayout.FromTransposed(transposed, _convs[0].Weight);
    }

    private static void SetGrad(Tensor parameter, Tensor grad) => parameter.grad = grad;

    /// <summary>Lays W₁ out as a plain [out, in] matrix again (after training, before the model is handed on).</summary>
    public void RestoreLayout() => ParameterLayout.Set(_convs[0].Weight, transposed: false);

    /// <summary>Frees the row operators (the graph's Â is the graph's).</summary>
    public void Dispose()
    {
        _outputRows.Dispose();
        _trainRows.Dispose();
    }
}
