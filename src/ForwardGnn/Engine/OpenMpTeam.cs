using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace ForwardGnn.Engine;

/// <summary>
/// Parallel loops on libtorch's own OpenMP team (<c>GOMP_parallel</c> of the libgomp that libtorch loaded), the
/// threads that already run libtorch's GEMMs and elementwise operations. An epoch alternates libtorch operations with
/// our sparse kernels; when the kernels ran on the .NET thread pool, two pools of spinning and sleeping workers took
/// turns on the same cores, and each hand-over cost about as much as a small kernel itself. Without libgomp in the
/// process (another libtorch build) the loops run on the .NET thread pool.
/// </summary>
internal static unsafe class OpenMpTeam
{
    private static readonly delegate* unmanaged<delegate* unmanaged<nint, void>, nint, uint, uint, void> GompParallel = Resolve();

    /// <summary>True when loops run on libtorch's OpenMP team.</summary>
    public static bool OnLibTorchTeam => GompParallel != null;

    /// <summary>Runs <paramref name="body"/>(i) for i in [0, count) on up to <paramref name="threads"/> threads, the caller among them; items are handed out in order, one at a time.</summary>
    public static void For(int count, int threads, Action<int> body)
    {
        if (count <= 0) return;
        if (GompParallel == null)
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
            return;
        }
        var loop = new Loop(count, body);
        GCHandle handle = GCHandle.Alloc(loop);
        try
        {
            GompParallel(&RunItems, GCHandle.ToIntPtr(handle), (uint)Math.Min(threads, count), 0);
        }
        finally { handle.Free(); }
        loop.Error?.Throw();
    }

    private sealed class Loop(int count, Action<int> body)
    {
        public readonly int Count = count;
        public readonly Action<int> Body = body;
        public int Next;
        public ExceptionDispatchInfo? Error;
    }

    /// <summary>Each team thread's share: take the next item until none is left. Exceptions must not cross into libgomp.</summary>
    [UnmanagedCallersOnly]
    private static void RunItems(nint state)
    {
        var loop = (Loop)GCHandle.FromIntPtr(state).Target!;
        try
        {
            int i;
            while (loop.Error is null && (i = Interlocked.Increment(ref loop.Next) - 1) < loop.Count) loop.Body(i);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref loop.Error, ExceptionDispatchInfo.Capture(e), null);
        }
    }

    /// <summary>GOMP_parallel of the libgomp mapped into the process (the one beside libtorch_cpu first), or null.</summary>
    private static delegate* unmanaged<delegate* unmanaged<nint, void>, nint, uint, uint, void> Resolve()
    {
        if (!OperatingSystem.IsLinux()) return null;
        string? torchFolder = Path.GetDirectoryName(LoadedLibraries.LibTorchCpu());   // libtorch (and its libgomp) loaded
        string? path = LoadedLibraries.Paths().Where(p => Path.GetFileName(p).StartsWith("libgomp", StringComparison.Ordinal))
            .OrderBy(p => Path.GetDirectoryName(p) == torchFolder ? 0 : 1).FirstOrDefault();   // libtorch's own, if two
        if (path is null || !NativeLibrary.TryLoad(path, out nint library)) return null;
        return NativeLibrary.TryGetExport(library, "GOMP_parallel", out nint address)
            ? (delegate* unmanaged<delegate* unmanaged<nint, void>, nint, uint, uint, void>)address
            : null;
    }
}
