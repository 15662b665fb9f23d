using System.Runtime.InteropServices;

namespace ForwardGnn.Cli;

/// <summary>
/// Ends the process as soon as a command has returned: standard output and error flushed, then libc's <c>_exit</c>
/// with the command's exit code. Every file the commands write is closed (and renamed into place) before they
/// return, so what is skipped is only teardown: .NET's shutdown and the native libraries' static destructors, of
/// which libtorch's unregister its thousands of operators (about 85 ms of every command on the development machine,
/// and the teardown in which a thread still inside native code can crash the process). Linux only;
/// <c>FORWARDGNN_QUICK_EXIT=off</c> exits the ordinary way (docs/runtime.md).
/// </summary>
internal static partial class QuickExit
{
    /// <summary>The switch that keeps the ordinary exit.</summary>
    public const string Switch = "FORWARDGNN_QUICK_EXIT";

    /// <summary>Whether <see cref="End"/> skips the teardown in this process.</summary>
    public static bool Applies => OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(Switch) != "off";

    /// <summary>Flushes the console and ends the process with <paramref name="code"/> where <see cref="Applies"/>; else returns it.</summary>
    public static int End(int code)
    {
        if (!Applies) return code;
        Console.Out.Flush();
        Console.Error.Flush();
        Exit(code);
        return code;   // not reached
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void Exit(int code);
}
