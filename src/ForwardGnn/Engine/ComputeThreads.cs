using static TorchSharp.torch;

namespace ForwardGnn.Engine;

/// <summary>One knob for every CPU thread pool the library computes with: libtorch's and the CSR kernels'.</summary>
internal static class ComputeThreads
{
    /// <summary>The thread count last set (all cores until <see cref="Set"/> is called).</summary>
    public static int Count { get; private set; } = Environment.ProcessorCount;

    /// <summary>Sets the count for libtorch and the sparse kernels (loads libtorch).</summary>
    public static void Set(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads));
        set_num_threads(threads);
        CsrKernels.MaxThreads = threads;
        Count = threads;
    }

    /// <summary>
    /// Sets the count without loading libtorch, which must not be loaded yet: the sparse kernels take it now, libtorch
    /// and its OpenMP pool from <c>OMP_NUM_THREADS</c> when they load. False (nothing set) where the C library's
    /// environment cannot be written (not Linux).
    /// </summary>
    internal static bool SetBeforeLibTorchLoads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads));
        if (!NativeTuning.SetNativeEnvironmentDefault("OMP_NUM_THREADS", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            return false;
        CsrKernels.MaxThreads = threads;
        Count = threads;
        return true;
    }
}
