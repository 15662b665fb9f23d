using static TorchSharp.torch;

namespace ForwardGnn.Engine;

/// <summary>One knob for every CPU thread pool the library computes with: libtorch's and the CSR kernels'.</summary>
public static class ComputeThreads
{
    /// <summary>The thread count last set (all cores until <see cref="Set"/> is called).</summary>
    public static int Count { get; private set; } = Environment.ProcessorCount;

    public static void Set(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads));
        set_num_threads(threads);
        CsrKernels.MaxThreads = threads;
        Count = threads;
    }
}
