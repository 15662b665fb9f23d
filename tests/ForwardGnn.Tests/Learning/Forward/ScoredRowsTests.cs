using ForwardGnn.Learning.Forward;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Learning.Forward;

public class ScoredRowsTests
{
    [Fact]
    public void ScoresOfTheGatheredRowsAreTheScoresOfTheFullTensor()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        Tensor z = randn(9, 4);
        Tensor queried = tensor(new long[] { 5, 0, 2 }), virtualNodes = tensor(new long[] { 7, 8 });
        var rows = ScoredRows.Of(queried, virtualNodes);

        Assert.Equal([5L, 0, 2, 7, 8], rows.All.data<long>().ToArray());
        Tensor expected = SingleForwardAlgorithm.Scores(z, queried, virtualNodes);
        Assert.True(expected.allclose(rows.Scores(z.index_select(0, rows.All)), rtol: 0, atol: 0));
    }
}
