using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Build;

/// <summary>
/// build/native-env.sh compiles and preloads build/mkl-cpu-dispatch.c on x86-64 CPUs that are not Intel's, so MKL
/// picks its GEMM kernels by the CPU's features. These tests source the script as ./forwardgnn does and train with
/// and without the preload.
/// </summary>
public class MklCpuDispatchTests
{
    private static readonly string Repository = FindRepository();
    private static readonly string CpuInfo = File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : "";
    private static bool DispatchApplies =>
        OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64 && !CpuInfo.Contains("GenuineIntel");

    [Fact]
    public void NativeEnvCompilesThePreloadOnceRebuildsABrokenOneAndAddsItOnlyWhereItApplies()
    {
        using TempDir root = RootWithTheSource();
        string library = root["artifacts/native/libmkl-cpu-dispatch.so"];

        string twice = SourceNativeEnv(root.Path, "features", times: 2);
        if (!DispatchApplies)
        {
            Assert.Equal("", twice);
            return;
        }
        Assert.Equal(library, twice);   // once, though sourced twice
        Assert.True(File.Exists(library));
        Assert.Equal("", SourceNativeEnv(root.Path, "mkl", times: 1));

        File.WriteAllText(library, "not a shared library");   // ld.so would only warn about it: it is rebuilt instead
        Assert.Equal(library, SourceNativeEnv(root.Path, "features", times: 1));
        Assert.Equal("\u007FELF"u8.ToArray(), File.ReadAllBytes(library)[..4]);
    }

    [Fact]
    public void WithThePreloadMklRunsTheCpusKernelsAndTrainingComputesTheSame()
    {
        using TempDir root = RootWithTheSource();
        string preload = SourceNativeEnv(root.Path, "features", times: 1);
        (string? withPath, double[] withLosses) = Train(preload, root["with"]);
        (string? plainPath, double[] plainLosses) = Train("", root["plain"]);

        string expected = Flag("avx512f") ? "avx512" : Flag("avx2") ? "avx2" : plainPath!;
        Assert.Equal(DispatchApplies ? expected : plainPath, withPath);
        if (DispatchApplies) Assert.Equal("generic", plainPath);
        Assert.Equal(plainLosses.Length, withLosses.Length);
        Assert.True(plainLosses.Length >= 10);
        for (int i = 0; i < plainLosses.Length; i++)
            Assert.True(Math.Abs(withLosses[i] - plainLosses[i]) <= 1e-4 * Math.Abs(plainLosses[i]),
                $"check {i}: loss {withLosses[i]} with the preload, {plainLosses[i]} without");
    }

    private static (string? CodePath, double[] Losses) Train(string preload, string outDir)
    {
        CliRunner.Result r = CliRunner.RunWith(new Dictionary<string, string?> { ["LD_PRELOAD"] = preload },
            "train", "--dataset", "cora_ml", "--algo", "bp", "--gnn", "gcn", "--layers", "4", "--split", "0",
            "--epochs", "40", "--threads", "2", "--bench", "--json", "--data-root", SharedData.Root, "--out", outDir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        string? path = doc.RootElement.GetProperty("bench").GetProperty("mklCodePath").GetString();
        double[] losses = File.ReadLines(Path.Combine(outDir, "metrics.jsonl")).Select(Loss).ToArray();
        return (path, losses);
    }

    /// <summary>A fresh $root holding only build/mkl-cpu-dispatch.c, so the compiled library lands in it.</summary>
    private static TempDir RootWithTheSource()
    {
        var root = new TempDir();
        Directory.CreateDirectory(root["build"]);
        File.Copy(Path.Combine(Repository, "build", "mkl-cpu-dispatch.c"), root["build/mkl-cpu-dispatch.c"]);
        return root;
    }

    private static double Loss(string metricsLine)
    {
        using var check = JsonDocument.Parse(metricsLine);
        return check.RootElement.GetProperty("loss").GetDouble();
    }

    /// <summary>LD_PRELOAD after sourcing native-env.sh <paramref name="times"/> times, with glibc's allocator (no fetch).</summary>
    private static string SourceNativeEnv(string root, string dispatch, int times)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(string.Concat(Enumerable.Repeat("source \"$0\"; ", times)) + "printf %s \"${LD_PRELOAD:-}\"");
        start.ArgumentList.Add(Path.Combine(Repository, "build", "native-env.sh"));
        start.Environment["root"] = root;
        start.Environment["FORWARDGNN_ALLOCATOR"] = "glibc";
        start.Environment["FORWARDGNN_MKL_DISPATCH"] = dispatch;
        start.Environment.Remove("LD_PRELOAD");
        using Process bash = Process.Start(start)!;
        string stdout = bash.StandardOutput.ReadToEnd();
        string stderr = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        Assert.True(bash.ExitCode == 0, stderr);
        return stdout;
    }

    private static bool Flag(string name) =>
        CpuInfo.Split('\n').FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ').Contains(name) == true;

    private static string FindRepository()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "build", "native-env.sh"))) return d.FullName;
        throw new InvalidOperationException("build/native-env.sh was not found above " + AppContext.BaseDirectory);
    }
}
