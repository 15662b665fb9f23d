using System.Runtime.InteropServices;

namespace ForwardGnn.Cli;

/// <summary>
/// Ends the huge pages of tcmalloc's heap where the launcher preloaded <c>build/huge-heap.c</c> (docs/runtime.md): start-up
/// faults its heap in 2 MiB at a time, and the blocks grown after <see cref="EndOfStartup"/> stay on 4 KiB pages, so
/// that what training's tensors add to the heap is resident only where they touch it. Without the preload (a library
/// consumer, the tests, <c>FORWARDGNN_HUGE_HEAP=off</c>) it does nothing.
/// </summary>
internal static unsafe class HugeHeap
{
    private static int _ended;

    /// <summary>Calls the preload's <c>forwardgnn_huge_heap_end</c>, once per process, if the process has it.</summary>
    public static void EndOfStartup()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1 || !OperatingSystem.IsLinux()) return;
        // The main program's handle looks a name up in the global scope, which holds every LD_PRELOAD library.
        if (NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "forwardgnn_huge_heap_end", out nint end))
            ((delegate* unmanaged<void>)end)();
    }
}
