using ForwardGnn.Data.Splits;
using ForwardGnn.Graphs;

namespace ForwardGnn.Tests.Data.Splits;

public class NegativeSamplingTests
{
    [Fact]
    public void DrawsDistinctOrderedNonEdges()
    {
        EdgeIndex ring = EdgeIndex.Build(50, Enumerable.Range(0, 50).ToArray(), Enumerable.Range(0, 50).Select(i => (i + 1) % 50).ToArray());
        (int Source, int Target)[] negatives = NegativeSampling.Sample(ring, 300, new PythonRandom(0));

        Assert.Equal(300, negatives.Length);
        Assert.Equal(300, negatives.Distinct().Count());
        Assert.All(negatives, p => Assert.True(p.Source != p.Target && Math.Abs(p.Source - p.Target) % 48 != 1,
            $"({p.Source}, {p.Target}) is a self-pair or an edge of the ring"));
        Assert.Contains(negatives, p => p.Source > p.Target);   // ordered pairs, both directions
        Assert.Contains(negatives, p => p.Source < p.Target);
    }

    /// <summary>Asking for more than a graph's non-edges gives each of them once, in pair order (PyG's
    /// <c>sample</c> returns the whole population when the sample would cover it).</summary>
    [Fact]
    public void ADenseGraphGivesFewerThanAskedFor()
    {
        int[] source = [0, 0, 1, 1, 2, 2, 3], target = [2, 3, 2, 3, 3, 0, 1];
        EdgeIndex almostComplete = EdgeIndex.Build(4, source, target, symmetrise: false);

        Assert.Equal([(0, 1), (1, 0), (2, 1), (3, 0), (3, 2)], NegativeSampling.Sample(almostComplete, 10, new PythonRandom(0)));
    }
}
