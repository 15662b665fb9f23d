using ForwardGnn.Cli;
using static TorchSharp.torch;

namespace ForwardGnn.Tests.Cli;

public class StartupPagesTests
{
    [Fact]
    public void AdvisesEveryReadOnlyMappingOfLibTorch()
    {
        using (NewDisposeScope()) ones(2).sum();   // libtorch is loaded
        long readOnly = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length == 6 && p[5].EndsWith("/libtorch_cpu.so") && !p[1].Contains('w'))
            .Sum(p => Convert.ToInt64(p[0].Split('-')[1], 16) - Convert.ToInt64(p[0].Split('-')[0], 16));
        Assert.True(readOnly > 100L << 20, $"{readOnly} bytes of libtorch mapped read-only");
        Assert.Equal(readOnly, StartupPages.Release());
        using (NewDisposeScope()) Assert.Equal(6f, ones(2, 3).sum().item<float>());   // its code maps back as it runs
    }

    [Fact]
    public void KeepLeavesThePages()
    {
        Environment.SetEnvironmentVariable("FORWARDGNN_STARTUP_PAGES", "keep");
        try
        {
            Assert.Equal(0, StartupPages.Release());
        }
        finally
        {
            Environment.SetEnvironmentVariable("FORWARDGNN_STARTUP_PAGES", null);
        }
    }
}
