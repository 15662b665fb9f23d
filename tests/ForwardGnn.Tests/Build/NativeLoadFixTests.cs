using System.Runtime.InteropServices;
using ForwardGnn.Build;
using ForwardGnn.Engine;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Build;

/// <summary>The run-time native-load fix on an app folder holding the ELF fixture as its libLibTorchSharp.so.</summary>
public class NativeLoadFixTests
{
    private static readonly bool Applies = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    private static (TempDir App, string Copy, string OldHost, string NewHost) AppFolder(string relativeCopy)
    {
        var app = new TempDir();
        string copy = app[relativeCopy];
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.WriteAllBytes(copy, ElfVersionNeedTests.Fixture());
        File.WriteAllText(app["old-libstdc++.so.6"], "....GLIBCXX_3.4.30\0....");
        File.WriteAllText(app["new-libstdc++.so.6"], "....GLIBCXX_3.4.32\0....");
        return (app, copy, app["old-libstdc++.so.6"], app["new-libstdc++.so.6"]);
    }

    [Theory]
    [InlineData("runtimes/linux-x64/native/libLibTorchSharp.so")]
    [InlineData("libLibTorchSharp.so")]
    public void PatchesTheAppsCopyOnceWhereTheHostLacksTheVersion(string relativeCopy)
    {
        if (!Applies) return;
        var (app, copy, oldHost, _) = AppFolder(relativeCopy);
        using (app)
        {
            Assert.Equal(NativeLoadFixOutcome.Patched, NativeLoadFix.Apply(app.Path, [oldHost]));
            Assert.False(ElfVersionNeed.HasStrongNeed(copy, NativeLoadFix.Version));
            Assert.Equal(NativeLoadFixOutcome.NotNeeded, NativeLoadFix.Apply(app.Path, [oldHost]));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(copy)!, "*.tmp"));
        }
    }

    [Fact]
    public void LeavesTheCopyAloneWhereTheHostHasTheVersion()
    {
        if (!Applies) return;
        var (app, copy, _, newHost) = AppFolder("runtimes/linux-x64/native/libLibTorchSharp.so");
        using (app)
        {
            Assert.Equal(NativeLoadFixOutcome.NotNeeded, NativeLoadFix.Apply(app.Path, [newHost]));
            Assert.Equal(ElfVersionNeedTests.Fixture(), File.ReadAllBytes(copy));
        }
    }

    [Fact]
    public void SaysSoWhenTheAppHasNoCopy()
    {
        if (!Applies) return;
        using var app = new TempDir();
        Assert.Equal(NativeLoadFixOutcome.NotFound, NativeLoadFix.Apply(app.Path, ElfVersionNeed.HostLibStdCxxCandidates));
    }

    [Fact]
    public void ReportsAnUnreadableCopyInsteadOfThrowing()
    {
        if (!Applies) return;
        using var app = new TempDir();
        string copy = app["libLibTorchSharp.so"];
        File.WriteAllText(copy, "not an ELF file, though long enough to have a header..................");
        Assert.Equal(NativeLoadFixOutcome.Failed, NativeLoadFix.Apply(app.Path, ElfVersionNeed.HostLibStdCxxCandidates));
    }

    [Fact]
    public void TheProcessIsSetUpOnce()
    {
        RuntimeSetup setup = ForwardGnnRuntime.Initialize();
        Assert.Same(setup, ForwardGnnRuntime.Initialize());
        Assert.NotEqual(NativeLoadFixOutcome.Failed, setup.NativeLoadFix);   // the test build's copy is weak already
    }
}
