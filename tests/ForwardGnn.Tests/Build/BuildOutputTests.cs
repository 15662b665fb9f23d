using ForwardGnn.Build;

namespace ForwardGnn.Tests.Build;

/// <summary>
/// Build outputs hard-link package files from the NuGet cache (Directory.Build.props), and the native-load fix must
/// then replace the output's libLibTorchSharp.so, never write through the link into the cache.
/// </summary>
public class BuildOutputTests
{
    private static string Output(string file) => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", file);

    [Fact]
    public void TheNativeLoadFixLeavesTheCachedLibraryAsShipped()
    {
        string copy = Output("libLibTorchSharp.so");
        string cached = Path.Combine(NuGetCache(), "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(cached), cached);
        Assert.True(ElfVersionNeed.HasStrongNeed(cached, "GLIBCXX_3.4.32"));   // as shipped
        bool hostHasVersion = ElfVersionNeed.HostLibraryDefines("GLIBCXX_3.4.32", ElfVersionNeed.HostLibStdCxxCandidates);
        Assert.Equal(hostHasVersion, ElfVersionNeed.HasStrongNeed(copy, "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void LibTorchIsLinkedFromTheCacheRatherThanCopiedWhereTheFileSystemAllows()
    {
        string copy = Output("libtorch_cpu.so");
        string cached = Path.Combine(NuGetCache(), "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native", "libtorch_cpu.so");
        if (!OperatingSystem.IsLinux() || !File.Exists(cached)) return;
        if (Device(copy) != Device(cached)) return;   // a hard link cannot cross file systems; MSBuild copies then
        Assert.Equal(Inode(cached), Inode(copy));
    }

    private static string Stat(string format, string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-L", "-c", format, path])
        {
            RedirectStandardOutput = true,
        })!;
        string value = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return value;
    }

    private static string Inode(string path) => Stat("%i", path);
    private static string Device(string path) => Stat("%d", path);

    private static string NuGetCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
