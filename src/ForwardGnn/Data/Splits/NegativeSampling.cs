using ForwardGnn.Graphs;

namespace ForwardGnn.Data.Splits;

/// <summary>
/// PyG 2.2's <c>negative_sampling(edge_index, num_nodes, count, method="sparse")</c> on a graph without self-loops.
/// An ordered pair (u, v), u ≠ v, is the number u·(N−1) + v − [u &lt; v] in 0..N(N−1)−1. Up to three times, Python's
/// <c>random.sample</c> draws ⌊1.1·count / p⌋ of these numbers (p: the share that are not edges); draws that are edges
/// or came up in an earlier round are dropped, and the first <c>count</c> kept ones are returned in draw order. On a
/// graph too dense for three rounds it returns fewer, as PyG does.
/// </summary>
internal static class NegativeSampling
{
    public static (int Source, int Target)[] Sample(EdgeIndex graph, int count, PythonRandom random)
    {
        long n = graph.NumNodes, population = n * (n - 1);
        var taken = new HashSet<long>(graph.Count);   // the edges, then every pair kept so far
        for (int e = 0; e < graph.Count; e++)
            if (graph.Source[e] != graph.Target[e]) taken.Add(Encode(graph.Source[e], graph.Target[e], n));
        if (taken.Count >= population) return [];

        double keepProbability = 1.0 - (double)taken.Count / population;
        int drawCount = (int)(1.1 * count / keepProbability);
        var kept = new List<long>(count);
        for (int round = 0; round < 3 && kept.Count < count; round++)
        {
            long[] draws = drawCount >= population ? Range(population) : random.Sample(population, drawCount);
            kept.AddRange(draws.Where(taken.Add));   // one round's draws are distinct, so this drops only edges and earlier rounds' pairs
        }
        return kept.Take(count).Select(code => Decode(code, n)).ToArray();
    }

    private static long Encode(int source, int target, long n) => source * (n - 1) + target - (source < target ? 1 : 0);

    private static (int, int) Decode(long code, long n)
    {
        long source = code / (n - 1), target = code % (n - 1);
        return ((int)source, (int)(source <= target ? target + 1 : target));
    }

    /// <summary>PyG's <c>sample</c> returns every value, in order, once the sample would cover the population.</summary>
    private static long[] Range(long population)
    {
        long[] all = new long[population];
        for (long i = 0; i < population; i++) all[i] = i;
        return all;
    }
}
