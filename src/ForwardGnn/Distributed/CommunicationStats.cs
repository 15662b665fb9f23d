using System.Diagnostics;

namespace ForwardGnn.Distributed;

/// <summary>One kind of traffic: how many operations, how many bytes this rank sent, and the seconds they took.</summary>
internal sealed record TrafficTotals(long Operations, long BytesSent, double Seconds);

/// <summary>What a communicator has sent, by kind of operation ("halo", "gradients", "class-sums", "metrics", ...).</summary>
internal sealed class CommunicationStats
{
    private readonly Dictionary<string, TrafficTotals> _byKind = [];

    /// <summary>Totals per kind, in the order kinds first appeared.</summary>
    public IReadOnlyDictionary<string, TrafficTotals> ByKind => _byKind;

    /// <summary>Bytes this rank sent in all.</summary>
    public long BytesSent => _byKind.Values.Sum(t => t.BytesSent);

    /// <summary>Runs <paramref name="operation"/>, adding its time and <paramref name="bytesSent"/> to <paramref name="kind"/>.</summary>
    public void Record(string kind, long bytesSent, Action operation)
    {
        long start = Stopwatch.GetTimestamp();
        operation();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        TrafficTotals old = _byKind.GetValueOrDefault(kind, new TrafficTotals(0, 0, 0));
        _byKind[kind] = new TrafficTotals(old.Operations + 1, old.BytesSent + bytesSent, old.Seconds + seconds);
    }
}
