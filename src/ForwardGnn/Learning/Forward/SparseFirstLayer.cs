using ForwardGnn.Data;
using ForwardGnn.Distributed;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// Layer 1 of distributed SF on sparse features, computed per step as the single process computes it rather than from
/// a dense Â·LN(X_aug): the own rows z[own] = ReLU(Â[own, :]·(LN(X_aug)·Wᵀ) + b), [own, d], project the rank's input
/// rows (own, halo, class) on their non-zeros and aggregate; the C class rows z[VN] = ReLU(A_VN·Wᵀ + b), [C, d], use
/// their aggregate A_VN = Â[VN, :]·LN(X_aug), [C, F], summed over the ranks once (each rank holds the partial sum over
/// its own edges). Nothing else is sent for layer 1.
/// </summary>
internal sealed class SparseFirstLayer : IDisposable
{
    private readonly GraphTensors _own;
    private readonly Tensor _features;
    private readonly Tensor _classes;

    /// <param name="view">The rank's part of G′.</param>
    /// <param name="input">Layer 1's input rows LN(X_aug) [own + halo + C, F], dense (the caller keeps it).</param>
    /// <param name="ranks">The ranks of the job: the class rows' aggregate is summed over them (every rank calls this alike).</param>
    /// <param name="device">Where the tensors live.</param>
    public SparseFirstLayer(PartitionView view, Tensor input, ICommunicator ranks, Device device)
    {
        using var _ = no_grad();
        _own = GraphTensors.Partial(view.OutputRows(0, view.Own.Length), device);
        _features = SparseFeatures.Create(Sparse(input), device);
        using SparseOperator classRows = view.OutputRows(view.Own.Length, view.Replicated);
        _classes = classRows.Multiply(input);
        ranks.AllReduceSum(_classes, "class-sums");
    }

    /// <summary>
    /// Whether layer 1 takes this path: LN(X_aug) is sparse by the single process's rule (at most
    /// <see cref="FeatureTensor.DenseAbove"/> non-zero), counted over every rank's own rows and the class rows (one
    /// all-reduce of two numbers), so every rank decides alike.
    /// </summary>
    /// <param name="view">The rank's part of G′.</param>
    /// <param name="input">Layer 1's input rows [own + halo + C, F].</param>
    /// <param name="ranks">The ranks of the job.</param>
    public static bool Applies(PartitionView view, Tensor input, ICommunicator ranks)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long f = input.shape[1];
        float ownNonZeros = input.narrow(0, 0, view.Own.Length).count_nonzero().item<long>();
        long classNonZeros = input.narrow(0, input.shape[0] - view.Replicated, view.Replicated).count_nonzero().item<long>();
        Tensor counts = tensor(new[] { ownNonZeros, view.Own.Length });
        ranks.AllReduceSum(counts, "metrics");
        float[] sum = counts.data<float>().ToArray();
        double density = f == 0 ? 0 : (sum[0] + classNonZeros) / ((sum[1] + view.Replicated) * (double)f);
        return density <= FeatureTensor.DenseAbove;
    }

    /// <summary>z = ReLU(conv(LN(X_aug))) on the rank's own rows, then the class rows: [own + C, d].</summary>
    public Tensor Forward(GraphConv conv)
    {
        using Tensor own = conv.ForwardRelu(_features, _own);
        using Tensor classes = conv.ForwardAggregated(_classes, _classes).relu_();
        return cat([own, classes]);
    }

    /// <summary>The non-zeros of dense rows [rows, F] as a CSR matrix.</summary>
    private static CsrMatrix Sparse(Tensor rows)
    {
        int n = (int)rows.shape[0], f = (int)rows.shape[1];
        using Tensor contiguous = rows.contiguous();
        float[] values = contiguous.data<float>().ToArray();
        var pointer = new int[n + 1];
        var index = new List<int>();
        var stored = new List<float>();
        for (int r = 0; r < n; r++)
        {
            for (int k = 0; k < f; k++)
            {
                float v = values[(long)r * f + k];
                if (v == 0) continue;
                index.Add(k);
                stored.Add(v);
            }
            pointer[r + 1] = index.Count;
        }
        return new CsrMatrix(n, f, pointer, [.. index], [.. stored]);
    }

    public void Dispose()
    {
        _features.Dispose();
        _classes.Dispose();
        _own.Dispose();
    }
}
