using ForwardGnn.Data.Splits;
using ForwardGnn.Engine;
using TorchSharp;
using static TorchSharp.torch;
using static ForwardGnn.Engine.HeldScalars;

namespace ForwardGnn.Training;

/// <summary>Supervision pairs on a device: scores are dot products ⟨z_u, z_v⟩ of node embeddings.</summary>
internal sealed record LinkPairs(Tensor Source, Tensor Target, Tensor Labels, float[] HostLabels)
{
    public static LinkPairs From(LinkSupervision s, Device device) => new(
        tensor(s.Source.Select(i => (long)i).ToArray(), device: device),
        tensor(s.Target.Select(i => (long)i).ToArray(), device: device),
        tensor(s.Label, device: device),
        s.Label);

    private PairProducts? _products;

    /// <summary>⟨z_u, z_v⟩ for every pair: z [N, d] → [P].</summary>
    public Tensor Scores(Tensor z) => Fused(z)
        ? Products.Dot(z)
        : z.index_select(0, Source).mul(z.index_select(0, Target)).sum(1);

    /// <summary>Σ_k (z_u,k · z_v,k)² for every pair (the FF goodness before its threshold): z [N, d] → [P].</summary>
    public Tensor SquaredScores(Tensor z) => Fused(z)
        ? Products.SquaredDot(z)
        : z.index_select(0, Source).mul(z.index_select(0, Target)).pow(Two).sum(1);

    private static bool Fused(Tensor z) => z.device_type == DeviceType.CPU && z.dtype is ScalarType.Float32 or ScalarType.Float64 && z.dim() == 2;

    private PairProducts Products => _products ??= new PairProducts(
        IndexArrays.From(Source), IndexArrays.From(Target));

    /// <summary>ROC-AUC (percent) of per-pair probabilities against the labels.</summary>
    public double RocAuc(Tensor probabilities) =>
        Metrics.RocAuc(probabilities.detach().cpu().data<float>().ToArray(), HostLabels);
}
