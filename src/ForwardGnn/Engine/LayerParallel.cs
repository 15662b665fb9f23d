using static TorchSharp.torch;

namespace ForwardGnn.Engine;

/// <summary>
/// Runs independent per-layer work items side by side, one per thread, instead of one after the other with every
/// libtorch operation split across the threads. Layer-local updates whose inputs are all fixed before the step
/// (SF-Top-To-Loss updates every layer from the previous step's states) are such items. With tensors of a few
/// thousand rows the operations are too small to split well, so whole layers per thread use the cores better.
/// The items run on libtorch's own OpenMP team (<see cref="OpenMpTeam"/>), inside whose parallel region every
/// libtorch operation stays on its thread; without that team, on the .NET thread pool with libtorch set to one thread.
/// Each item has its own dispose scope; what it must hand back it detaches from that scope. With one compute thread
/// (<see cref="ComputeThreads.Count"/>) the items run in order on the calling thread. The result does not depend on
/// the thread count: every item computes the same single-threaded operations.
/// </summary>
internal static class LayerParallel
{
    public static void For(int fromInclusive, int toExclusive, Action<int> body)
    {
        int threads = ComputeThreads.Count;
        if (threads <= 1 || toExclusive - fromInclusive <= 1)
        {
            for (int i = fromInclusive; i < toExclusive; i++)
            {
                using var scope = NewDisposeScope();
                body(i);
            }
            return;
        }
        // On libtorch's team, libtorch and MKL run every operation of an item on its thread (inside a parallel
        // region); on the .NET pool, each item's thread must be set to one libtorch thread, and the count restored.
        bool onTeam = OpenMpTeam.OnLibTorchTeam;
        try
        {
            OpenMpTeam.For(toExclusive - fromInclusive, threads, i =>
            {
                if (!onTeam) set_num_threads(1);
                RunAlone(fromInclusive + i, body);
            });
        }
        finally
        {
            if (!onTeam) ComputeThreads.Set(threads);   // the calling thread may have run an item
        }
    }

    /// <summary>One item with its own dispose scope, its sparse products kept on this thread.</summary>
    private static void RunAlone(int i, Action<int> body)
    {
        bool serial = CsrKernels.SerialOnThisThread;
        CsrKernels.SerialOnThisThread = true;
        try
        {
            using var scope = NewDisposeScope();
            body(i);
        }
        finally { CsrKernels.SerialOnThisThread = serial; }
    }
}
