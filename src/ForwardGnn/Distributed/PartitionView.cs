using ForwardGnn.Data;
using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using static TorchSharp.torch;

namespace ForwardGnn.Distributed;

/// <summary>
/// One rank's part of a graph for GCN aggregation, Â = D^−½ (A + I) D^−½ with the whole graph's degrees. The graph's
/// first <c>real</c> nodes are partitioned; the nodes after them (SF's virtual class nodes) are <em>replicated</em>:
/// every rank holds their rows.
/// <para>Input rows (<see cref="InputRows"/>): own nodes ascending, then halo nodes (real nodes of other ranks with an
/// edge into an own node), grouped by owner rank, then the replicated nodes. Output rows of <see cref="Aggregate"/>:
/// own nodes, then the replicated nodes' <em>partial</em> sums over this rank's edges (their self-loop on rank 0
/// only), which an all-reduce over the ranks completes.</para>
/// </summary>
internal sealed class PartitionView : IDisposable
{
    private readonly SparseOperator _gcn;
    private readonly RowExchange _halo;

    public PartitionView(EdgeIndex graph, int real, GraphPartition partition, int rank, Device device)
        : this(PartitionPlan.Of(graph, real, partition, rank), device)
    {
    }

    /// <summary>The view of a rank's <paramref name="plan"/> (computed here or read from a shard).</summary>
    public PartitionView(PartitionPlan plan, Device device)
    {
        Own = plan.Own;
        _halo = plan.Halo;
        Halo = _halo.Received;
        Replicated = plan.Replicated;
        Real = plan.Real;
        _gcn = new SparseOperator(Own.Length + Replicated, InputRows, plan.Rows, plan.Columns, plan.Weights);
        Graph = GraphTensors.Partial(_gcn, device);
    }

    /// <summary>The rank's GCN propagation as a graph for the convs: [own + replicated] rows from [input rows].</summary>
    public GraphTensors Graph { get; }

    /// <summary>The own nodes (global ids), ascending.</summary>
    public int[] Own { get; }

    /// <summary>The halo nodes (global ids), grouped by owner rank.</summary>
    public int[] Halo { get; }

    /// <summary>The number of partitioned (real) nodes; the replicated ones follow them.</summary>
    public int Real { get; }

    /// <summary>The number of replicated nodes.</summary>
    public int Replicated { get; }

    /// <summary>Rows of a layer input: own, halo, replicated.</summary>
    public int InputRows => Own.Length + Halo.Length + Replicated;

    /// <summary>
    /// Output rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1 of this rank's Â
    /// (own rows, then the replicated rows' partial sums), [count, input rows]; its products give those rows of
    /// <see cref="Aggregate"/>'s bit for bit.
    /// </summary>
    public SparseOperator OutputRows(int start, int count) => _gcn.SelectRows([.. Enumerable.Range(start, count)]);

    /// <summary>Â restricted to this rank: [own + replicated, input rows] × [input rows, d] → [own + replicated, d].</summary>
    public Tensor Aggregate(Tensor input) => _gcn.Multiply(input);

    /// <summary>
    /// The layer input [own + halo + replicated, d] from this rank's rows [own + replicated, d]: one halo exchange of
    /// the own rows other ranks need.
    /// </summary>
    public Tensor WithHalo(Tensor rows, ICommunicator communicator)
    {
        using Tensor own = rows.narrow(0, 0, Own.Length), replicated = rows.narrow(0, Own.Length, Replicated);
        using Tensor halo = _halo.Exchange(own, communicator, "halo");
        return cat([own, halo, replicated]);
    }

    /// <summary>The rows of <paramref name="features"/> [nodes, F] this rank reads (own, halo, replicated), dense: [input rows, F].</summary>
    public Tensor InputFeatures(CsrMatrix features, Device device)
    {
        int[] rows = [.. Own, .. Halo, .. Enumerable.Range(Real, Replicated)];
        return tensor(DenseRows(features, rows), [rows.Length, features.Columns], device: device);
    }

    /// <summary>Rows <paramref name="rows"/> of <paramref name="features"/> [nodes, F], dense and row-major: [rows, F].</summary>
    public static float[] DenseRows(CsrMatrix features, int[] rows)
    {
        var dense = new float[(long)rows.Length * features.Columns];
        for (int r = 0; r < rows.Length; r++)
            for (int k = features.RowPointer[rows[r]]; k < features.RowPointer[rows[r] + 1]; k++)
                dense[(long)r * features.Columns + features.ColumnIndex[k]] = features.Values[k];
        return dense;
    }

    /// <summary>
    /// The reverse of <see cref="WithHalo"/> for gradients: the halo rows of <paramref name="inputGrad"/> [input rows, d]
    /// go back to their owners, and each rank adds what it receives to the own rows it had sent: [own, d].
    /// </summary>
    public Tensor ReturnHaloGradients(Tensor inputGrad, ICommunicator communicator)
    {
        using Tensor own = inputGrad.narrow(0, 0, Own.Length), halo = inputGrad.narrow(0, Own.Length, Halo.Length);
        return _halo.Return(halo, own, communicator, "halo-gradients");
    }

    public void Dispose() => Graph.Dispose();
}
