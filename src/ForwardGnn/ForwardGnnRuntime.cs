using System.Runtime.CompilerServices;
using ForwardGnn.Build;
using ForwardGnn.Engine;

namespace ForwardGnn;

/// <summary>
/// Prepares the process for ForwardGnn as the <c>forwardgnn</c> tool does, so that an app referencing the library
/// needs no setup code of its own (docs/runtime.md), in this order:
/// <list type="number">
/// <item>The native-load fix: the app's copy of <c>libLibTorchSharp.so</c> is made loadable on hosts whose libstdc++
/// is older than it asks for (Debian 12), before TorchSharp loads it (<c>FORWARDGNN_NATIVE_LOAD_FIX=off</c> skips it).</item>
/// <item><see cref="NativeTuning.Apply"/>: glibc's allocator settings and libgomp's passive wait policy, which must
/// precede the loading of libtorch (libgomp reads its environment then).</item>
/// <item>The thread count of libtorch and of the sparse kernels, as the tool's default: every core the process may
/// use (<see cref="Environment.ProcessorCount"/>), or <c>OMP_NUM_THREADS</c> when set. Libtorch takes it when it
/// loads (through <c>OMP_NUM_THREADS</c>); the setup itself does not load libtorch.</item>
/// </list>
/// The library runs this itself when it is first used (a module initializer: before any of its types' code runs), so
/// an app whose first call goes to ForwardGnn gets it before libtorch loads. An app that uses <c>torch</c> before any
/// ForwardGnn type should call <see cref="Initialize"/> as the first line of <c>Main</c>. It never throws, never
/// writes to the console, and runs once per process: later calls return the first call's result.
/// </summary>
public static class ForwardGnnRuntime
{
    private static readonly Lock Gate = new();
    private static RuntimeSetup? done;

    /// <summary>Applies the process setup once (thread-safe) and says what it did; later calls return the same result.</summary>
    public static RuntimeSetup Initialize()
    {
        lock (Gate) return done ??= Run();
    }

    /// <summary>
    /// Sets the process's compute threads, libtorch's and the sparse kernels' together (n ≥ 1). Process-wide: a run
    /// started on another thread while this changes can see either count, and a different count splits reductions
    /// differently (docs/runtime.md).
    /// </summary>
    public static void SetThreads(int threads) => ComputeThreads.Set(threads);

    /// <summary>Runs <see cref="Initialize"/> before any other code of the library.</summary>
#pragma warning disable CA2255   // the point: the setup must precede libtorch's loading without a call from the app
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void OnLibraryLoad() => Initialize();

    private static RuntimeSetup Run()
    {
        bool torchFirst = LoadedLibraries.Paths().Any(p => Path.GetFileName(p) == "libtorch_cpu.so");
        NativeLoadFixOutcome fix = NativeLoadFix.Apply(AppContext.BaseDirectory, ElfVersionNeed.HostLibStdCxxCandidates);
        bool tuned = NativeTuning.Apply();
        return new RuntimeSetup(fix, tuned, torchFirst, DefaultThreads(torchFirst));
    }

    /// <summary>
    /// The tool's default thread count (<c>OMP_NUM_THREADS</c> when the user set it). Before libtorch loads it is
    /// handed to libtorch through <c>OMP_NUM_THREADS</c>, so that the setup does not load libtorch itself (half a second
    /// a process); after, or off Linux, it is set directly. 0 when libtorch does not load.
    /// </summary>
    private static int DefaultThreads(bool torchLoaded)
    {
        int threads = int.TryParse(Environment.GetEnvironmentVariable("OMP_NUM_THREADS"), out int fromEnvironment) && fromEnvironment > 0
            ? fromEnvironment
            : Environment.ProcessorCount;
        if (!torchLoaded && ComputeThreads.SetBeforeLibTorchLoads(threads)) return threads;
        try
        {
            ComputeThreads.Set(threads);
            return threads;
        }
        catch (Exception)
        {
            return 0;   // libtorch did not load; TorchSharp says why at the app's first use of torch (this must not throw)
        }
    }
}
