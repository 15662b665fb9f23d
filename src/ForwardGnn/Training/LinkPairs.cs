using ForwardGnn.Data.Splits;
using static TorchSharp.torch;

namespace ForwardGnn.Training;

/// <summary>Supervision pairs on a device: scores are dot products ⟨z_u, z_v⟩ of node embeddings.</summary>
public sealed record LinkPairs(Tensor Source, Tensor Target, Tensor Labels, float[] HostLabels)
{
    public static LinkPairs From(LinkSupervision s, Device device) => new(
        tensor(s.Source.Select(i => (long)i).ToArray(), device: device),
        tensor(s.Target.Select(i => (long)i).ToArray(), device: device),
        tensor(s.Label, device: device),
        s.Label);

    /// <summary>⟨z_u, z_v⟩ for every pair: z [N, d] → [P].</summary>
    public Tensor Scores(Tensor z) => z.index_select(0, Source).mul(z.index_select(0, Target)).sum(1);

    /// <summary>ROC-AUC (percent) of per-pair probabilities against the labels.</summary>
    public double RocAuc(Tensor probabilities) =>
        Metrics.RocAuc(probabilities.detach().cpu().data<float>().ToArray(), HostLabels);
}
