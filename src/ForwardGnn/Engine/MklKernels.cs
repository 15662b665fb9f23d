using System.Runtime.InteropServices;

namespace ForwardGnn.Engine;

/// <summary>
/// Which of MKL's CPU-specific code paths libtorch's float GEMMs run on: MKL picks one per process from the CPU, and
/// on x86-64 CPUs that are not Intel's it picks its generic path unless told otherwise (build/native-env.sh). Read
/// from MKL's own dispatcher inside libtorch_cpu, for benchmark reports.
/// </summary>
internal static class MklKernels
{
    private static readonly Lazy<string?> Detected = new(Detect);

    /// <summary>"generic", "sse4.2", "avx2", "avx512" or "mkl-branch-N"; null where libtorch has no MKL.</summary>
    public static string? CodePath => Detected.Value;

    private static unsafe string? Detect()
    {
        if (!OperatingSystem.IsLinux() || LoadedLibraries.LibTorchCpu() is not { } path
            || !NativeLibrary.TryLoad(path, out nint library)
            || !NativeLibrary.TryGetExport(library, "mkl_serv_cpu_detect", out nint detect)) return null;
        return ((delegate* unmanaged<int>)detect)() switch
        {
            0 => "generic",
            3 => "sse4.2",
            5 => "avx2",
            7 => "avx512",
            int branch => $"mkl-branch-{branch}",
        };
    }
}
