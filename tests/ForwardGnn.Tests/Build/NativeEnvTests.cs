using System.Diagnostics;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Build;

/// <summary>
/// build/native-env.sh (./forwardgnn and the installed tool start under it) says each change it makes once per
/// native folder, with its switch; FORWARDGNN_NATIVE_ENV=off makes none; an unwritable folder does not stop the
/// launcher (which sources it under <c>set -euo pipefail</c>). glibc's allocator and MKL's own dispatch keep these
/// runs off the network and the C compiler.
/// </summary>
public class NativeEnvTests
{
    private const string Show = "printf '%s|%s|%s|%s' \"${LD_PRELOAD:-}\" \"${GLIBC_TUNABLES:-}\" \"${FORWARDGNN_NATIVE_ENV:-}\" \"${DOTNET_GCgen0size:-}\"";

    [Fact]
    public void EachChangeIsSaidOnceWithItsSwitch()
    {
        using var native = new TempDir();
        (string first, string said) = Source(native.Path, null);
        Assert.Equal("|glibc.malloc.hugetlb=1|1|0x400000", first);
        Assert.Equal("forwardgnn: glibc malloc: transparent huge pages for large allocations (GLIBC_TUNABLES=glibc.malloc.hugetlb=1); " +
                     "off: GLIBC_TUNABLES=glibc.malloc.hugetlb=0\n" +
                     "forwardgnn: .NET GC: 4 MiB youngest-generation budget (DOTNET_GCgen0size=0x400000): lower peak memory; " +
                     "off: set DOTNET_GCgen0size yourself\n", said);
        (string second, string saidAgain) = Source(native.Path, null);
        Assert.Equal(first, second);
        Assert.Equal("", saidAgain);
    }

    [Fact]
    public void OffMakesNoChangeAndAnUnwritableFolderStopsNothing()
    {
        using var native = new TempDir();
        Assert.Equal(("||off|", ""), Source(native.Path, "off"));
        Assert.Empty(Directory.GetFileSystemEntries(native.Path));

        (string unwritable, string said) = Source("/proc/forwardgnn-native", null);   // mkdir fails there, even as root
        Assert.Equal("|glibc.malloc.hugetlb=1|1|0x400000", unwritable);
        Assert.Contains("huge pages", said);
    }

    private static (string Environment, string Stderr) Source(string folder, string? prepared)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("set -euo pipefail; source \"$0\"; " + Show);
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "build", "native-env.sh"));
        foreach (string name in new[] { "LD_PRELOAD", "GLIBC_TUNABLES", "FORWARDGNN_NATIVE_ENV", "DOTNET_GCgen0size" }) start.Environment.Remove(name);
        if (prepared is not null) start.Environment["FORWARDGNN_NATIVE_ENV"] = prepared;
        start.Environment["FORWARDGNN_NATIVE_DIR"] = folder;
        start.Environment["FORWARDGNN_ALLOCATOR"] = "glibc";
        start.Environment["FORWARDGNN_MKL_DISPATCH"] = "mkl";
        using Process bash = Process.Start(start)!;
        string stdout = bash.StandardOutput.ReadToEnd(), stderr = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        Assert.True(bash.ExitCode == 0, stderr);
        return (stdout, stderr);
    }
}
