using ForwardGnn.Data.Splits;

namespace ForwardGnn.Tests.Data.Splits;

/// <summary>Oracle: CPython 3.11's <c>random</c> module (the values below were printed by it).</summary>
public class PythonRandomTests
{
    [Theory]
    [InlineData(0ul, 3626764237ul, 1654615998ul, 3255389356ul)]
    [InlineData(101ul, 2496029389ul, 3638342495ul, 836464178ul)]
    [InlineData(404ul, 375579342ul, 4000527776ul, 1743070153ul)]
    public void SeedsLikeRandomSeed(ulong seed, ulong first, ulong second, ulong third)
    {
        var random = new PythonRandom(seed);
        Assert.Equal([first, second, third], new[] { random.GetRandBits(32), random.GetRandBits(32), random.GetRandBits(32) });
    }

    [Fact]
    public void SeedsWiderThanOneWordAndDrawsWiderThanOneWord()
    {
        var wideSeed = new PythonRandom((1ul << 40) + 5);
        Assert.Equal([2166296868ul, 2220160828ul], new[] { wideSeed.GetRandBits(32), wideSeed.GetRandBits(32) });

        var wideDraws = new PythonRandom(3);
        Assert.Equal([649562111997ul, 144071367498ul, 1006611292580ul],
            new[] { wideDraws.GetRandBits(40), wideDraws.GetRandBits(40), wideDraws.GetRandBits(40) });
    }

    [Fact]
    public void SamplesFromALargePopulationByRedrawing()
    {
        Assert.Equal([12926687L, 14112040, 1358430, 8687804, 17155532, 16305027, 13587334, 10177486],
            new PythonRandom(0).Sample(4230L * 4229, 8));
        Assert.Equal([3267438L, 6017563, 7837286, 814047, 8447669, 3599098, 3719445, 4840603],
            new PythonRandom(101).Sample(2995L * 2994, 8));
    }

    [Fact]
    public void SamplesFromASmallPopulationByShrinkingThePool()
    {
        Assert.Equal([10L, 4, 12, 20, 1, 2], new PythonRandom(7).Sample(30, 6));
        Assert.Equal([19L, 8, 11], new PythonRandom(5).Sample(20, 3));
    }
}
