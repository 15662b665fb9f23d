namespace ForwardGnn.Cli;

/// <summary>
/// Says, once per native folder and one line each on stderr, what the library's process setup
/// (<see cref="ForwardGnnRuntime.Initialize"/>) changed, with the setting that turns it off; native-env.sh says its
/// own changes (the preloads) the same way, with the same marks (<c>told-KEY</c> files in the folder). Only where the
/// process was prepared by native-env.sh (<c>./forwardgnn</c>, the installed tool): a process started otherwise has
/// no folder to remember what was said, and stays quiet (docs/runtime.md lists every change).
/// </summary>
internal static class PlatformNotes
{
    /// <summary>Writes the lines not said before in this native folder.</summary>
    public static void Tell(RuntimeSetup setup, TextWriter error)
    {
        if (Environment.GetEnvironmentVariable(NativeEnvironment.PreparedVariable) != "1"
            || Environment.GetEnvironmentVariable(NativeEnvironment.FolderVariable) is not { Length: > 0 } folder) return;
        foreach ((string key, string line) in Lines(setup))
            TellOnce(folder, key, line, error);
    }

    /// <summary>The library's changes to this process, as (key, line) pairs.</summary>
    internal static IEnumerable<(string Key, string Line)> Lines(RuntimeSetup setup)
    {
        if (setup.NativeLoadFix == NativeLoadFixOutcome.Patched)
            yield return ("native-load-fix", "libLibTorchSharp.so: its GLIBCXX_3.4.32 need marked weak (this libstdc++ is older; " +
                                             "docs/native-load.md); off: FORWARDGNN_NATIVE_LOAD_FIX=off");
        if (!setup.NativeTuningApplied) yield break;
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null && Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is null)
            yield return ("omp-wait", "OpenMP: idle worker threads sleep instead of spinning (OMP_WAIT_POLICY=PASSIVE); off: OMP_WAIT_POLICY=ACTIVE");
        if (!(Environment.GetEnvironmentVariable("LD_PRELOAD") ?? "").Contains("tcmalloc", StringComparison.Ordinal))
            yield return ("glibc-malloc", "glibc malloc: one arena, fixed 32 MiB mmap and 64 MiB trim thresholds; off: set " +
                                          "MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_");
    }

    private static void TellOnce(string folder, string key, string line, TextWriter error)
    {
        string mark = Path.Combine(folder, "told-" + key);
        if (File.Exists(mark)) return;
        error.WriteLine("forwardgnn: " + line);
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(mark, []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // an unwritable folder: the line is said again next time, which is all that is lost
        }
    }
}
