using ForwardGnn.Cli;
using ForwardGnn.Engine;

namespace ForwardGnn.Tests.Cli;

public class LibTorchPreloadTests
{
    /// <summary>Once <see cref="LibTorchPreload.Wait"/> returns, libtorch is mapped into the process and usable.</summary>
    [Fact]
    public void WaitReturnsWithLibTorchLoaded()
    {
        using var preload = new LibTorchPreload();
        preload.Wait();
        Assert.Contains(LoadedLibraries.Paths(), p => Path.GetFileName(p) == "libtorch_cpu.so");
        using var sum = TorchSharp.torch.ones(3).sum();
        Assert.Equal(3f, sum.item<float>());
    }

    /// <summary>Leaving without waiting (a refused dataset) still waits for the load to end, and reports no error of its own.</summary>
    [Fact]
    public void DisposeWaitsForTheLoad()
    {
        var preload = new LibTorchPreload();
        preload.Dispose();
        preload.Wait();   // already ended: returns at once
    }
}
