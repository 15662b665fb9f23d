using System.Runtime.InteropServices;

namespace ForwardGnn.Engine;

/// <summary>
/// Process-wide settings of glibc's allocator and of libtorch's OpenMP pool, made once before the first tensor
/// (libgomp reads its environment when libtorch loads). Measured on SF-/BP-GCN, 2 threads (docs/performance.md):
/// <list type="bullet">
/// <item>One malloc arena: libtorch frees tensors from several threads, and with one arena per thread freed memory
/// fragments across arenas (SF-GCN on Amazon-Photo: peak RSS +34 % from 1 to 4 layers, flat with one).</item>
/// <item>Fixed mmap and trim thresholds (32 and 64 MiB): glibc's dynamic thresholds hand each epoch's megabyte-sized
/// tensors back to the kernel and fault them in again (a third of BP-GCN's system time on Cora_ML).</item>
/// <item>Passive OpenMP waiting: spinning libgomp workers take the cores the CSR kernels' threads (or another process)
/// need. On a quiet machine a short spin is up to 15 % faster per BP epoch, but with one core busy elsewhere a
/// spinning pool made BP-GCN's epochs 2–5× slower than passive waiting.</item>
/// </list>
/// Settings the user made through the environment (MALLOC_ARENA_MAX, MALLOC_*_, OMP_WAIT_POLICY, GOMP_SPINCOUNT) are kept.
/// </summary>
internal static partial class NativeTuning
{
    private const int TrimThreshold = -1, MmapThreshold = -3, ArenaMax = -8;   // glibc's malloc.h

    /// <summary>Applies the settings; false where that is not possible (not Linux/glibc).</summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            bool ok = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null || mallopt(ArenaMax, 1) == 1;
            if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null) ok &= mallopt(MmapThreshold, 32 << 20) == 1;
            if (Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is null) ok &= mallopt(TrimThreshold, 64 << 20) == 1;
            if (Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is null) setenv("OMP_WAIT_POLICY", "PASSIVE", overwrite: 0);
            return ok;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Sets <paramref name="name"/> in the C library's environment, where native code reads it, unless it is set already; false off Linux.</summary>
    internal static bool SetNativeEnvironmentDefault(string name, string value)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return setenv(name, value, overwrite: 0) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
