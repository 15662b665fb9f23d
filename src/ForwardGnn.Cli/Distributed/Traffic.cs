using ForwardGnn.Distributed;
using static TorchSharp.torch;

namespace ForwardGnn.Cli.Distributed;

/// <summary>One kind of communication of a distributed run: operations (per rank), bytes sent by all ranks, and the longest time a rank spent in it.</summary>
internal sealed record Traffic(long Operations, double BytesSent, double Seconds)
{
    /// <summary>The kinds every distributed run reports, in this order.</summary>
    public static readonly string[] Kinds = ["halo", "halo-gradients", "class-sums", "pair-rows", "gradients", "scores", "metrics", "checkpoint"];

    /// <summary>Each kind's totals over the ranks (a collective: every rank calls it).</summary>
    public static Dictionary<string, Traffic> Total(ICommunicator ranks)
    {
        TrafficTotals Of(string kind) => ranks.Stats.ByKind.GetValueOrDefault(kind, new TrafficTotals(0, 0, 0));
        using Tensor bytes = tensor(Kinds.Select(k => (double)Of(k).BytesSent).ToArray(), dtype: ScalarType.Float32);
        ranks.AllReduceSum(bytes, "report");
        float[] summed = bytes.data<float>().ToArray();
        return Kinds.Select((k, i) => (k, new Traffic(Of(k).Operations, summed[i], Of(k).Seconds))).ToDictionary(x => x.k, x => x.Item2);
    }

    /// <summary>Every rank's peak resident memory so far, MiB, rank 0 first (a collective: every rank calls it).</summary>
    public static double[] RankPeaks(ICommunicator ranks)
    {
        var mine = new float[ranks.Size];
        mine[ranks.Rank] = (float)Training.Summary.PeakRssMiB();
        using Tensor peaks = tensor(mine);
        ranks.AllReduceSum(peaks, "report");
        return peaks.data<float>().ToArray().Select(p => (double)p).ToArray();
    }
}
