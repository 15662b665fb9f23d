using ForwardGnn.Data.Splits;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Data.Splits;

/// <summary>Oracle: libtorch's own <c>randperm</c> on a CPU generator with the same seed.</summary>
public class TorchRandpermTests
{
    [Theory]
    [InlineData(1, 0ul)]
    [InlineData(10, 0ul)]
    [InlineData(5337, 0ul)]
    [InlineData(8158, 101ul)]
    [InlineData(119081, 404ul)]
    public void MatchesLibtorch(int n, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        long[] expected = randperm(n, generator: generator).data<long>().ToArray();

        Assert.Equal(expected, TorchRandperm.Generate(n, seed).Select(i => (long)i).ToArray());
    }
}
