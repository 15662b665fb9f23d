using ForwardGnn.Training;

namespace ForwardGnn.Tests.Training;

public class StepTimingsTests
{
    [Fact]
    public void MedianSkipsWarmUpAndAveragesTheMiddlePair()
    {
        Assert.Equal(2, StepTimings.Median([5, 1, 2]));
        Assert.Equal(2.5, StepTimings.Median([5, 1, 2, 3]));
        Assert.Equal(2.5, StepTimings.Median([100, 1, 2, 3, 4], skip: 1));
        Assert.Equal(3, StepTimings.Median([100, 3], skip: 1));
        Assert.True(double.IsNaN(StepTimings.Median([1, 2], skip: 2)));
    }

    [Fact]
    public void RecordsOneDurationPerCallAndNothingWithoutTimings()
    {
        var timings = new StepTimings();
        Assert.Equal(7, StepTimings.Step(timings, () => 7));
        Assert.Equal(8, StepTimings.Step(timings, () => 8));
        Assert.Equal(1.5, StepTimings.Validation(timings, () => 1.5));
        Assert.Equal(9, StepTimings.Step(null, () => 9));
        Assert.Equal(2, timings.StepSeconds.Count);
        Assert.Single(timings.ValidationSeconds);
        Assert.All(timings.StepSeconds, s => Assert.True(s >= 0));
    }
}
