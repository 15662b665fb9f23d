using ForwardGnn.Data;

namespace ForwardGnn.Tests.Data;

public class MemoryBudgetTests
{
    [Theory]
    [InlineData("4G", 4L << 30)]
    [InlineData("512M", 512L << 20)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("2gb", 2L << 30)]
    [InlineData("1024", 1024L)]
    [InlineData("64k", 64L << 10)]
    public void ParsesSizes(string text, long bytes) => Assert.Equal(bytes, MemoryBudget.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("-1G")]
    [InlineData("NaN")]
    [InlineData("1e300G")]
    [InlineData("12x")]
    [InlineData("0")]
    public void RefusesWhatIsNotASize(string text) => Assert.Null(MemoryBudget.Parse(text));

    [Fact]
    public void FormatsWithUnits()
    {
        Assert.Equal("3.73 GiB", MemoryBudget.Format(4e9));
        Assert.Equal("512 MiB", MemoryBudget.Format(512 << 20));
        Assert.Equal("12 bytes", MemoryBudget.Format(12));
    }

    [Fact]
    public void TheSystemLimitIsPositive() => Assert.True(MemoryBudget.Limit > 0);
}
