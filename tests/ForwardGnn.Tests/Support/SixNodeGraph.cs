using ForwardGnn.Graphs;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Support;

/// <summary>
/// The small graph of the hand-checked rule tests: the path 0–1–2–3–4–5 plus the edge 0–2, both directions, with
/// 3 features per node and its dense GCN operator.
/// </summary>
internal static class SixNodeGraph
{
    /// <summary>The 12 directed edges.</summary>
    public static readonly EdgeIndex Edges = EdgeIndex.Build(6, [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 0, 2], [1, 0, 2, 1, 3, 2, 4, 3, 5, 4, 2, 0]);

    /// <summary>Features x [6, 3].</summary>
    public static Tensor X() => tensor(new float[] { 1, 0, 2, 0, 1, 1, 3, 1, 0, 0, 2, 1, 1, 1, 1, 2, 0, 1 }, [6, 3]);

    /// <summary>Â = D^−½(A + I)D^−½, dense [6, 6].</summary>
    public static Tensor DenseGcnOperator()
    {
        var dense = new float[36];
        foreach ((int s, int t) in Edges.Source.Zip(Edges.Target)) dense[t * 6 + s] = 1;
        for (int i = 0; i < 6; i++) dense[i * 6 + i] = 1;
        Tensor a = tensor(dense, [6, 6]);
        Tensor dInv = a.sum(1L, false).rsqrt();
        return dInv.unsqueeze(1).mul(a).mul(dInv.unsqueeze(0));
    }
}
