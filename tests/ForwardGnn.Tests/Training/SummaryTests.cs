using ForwardGnn.Training;

namespace ForwardGnn.Tests.Training;

public class SummaryTests
{
    [Theory]
    [InlineData("VmHWM:\t  347820 kB", 347820)]
    [InlineData("VmHWM:\t17979616 kB", 17979616)]   // 17 GiB: the tab is followed directly by the digits
    [InlineData("VmHWM:\t123456789 kB", 123456789)]
    public void PeakMemoryLineParsesAtEverySize(string line, long kib) => Assert.Equal(kib, Summary.KibFromStatusLine(line));

    [Fact]
    public void PeakRssOfThisProcessIsPositive() => Assert.InRange(Summary.PeakRssMiB(), 1, 1 << 20);

    [Fact]
    public void MeanAndPopulationStd() => Assert.Equal((2.0, 1.0), Summary.MeanStd([1.0, 3.0]));
}
