using System.Runtime.InteropServices;
using System.Text;

namespace ForwardGnn.Cli;

/// <summary>
/// Gives the installed tool (the ForwardGnn.Tool package) the process environment <c>./forwardgnn</c> gives the tool
/// in a checkout: the allocator and MKL preloads and the allocators' settings of <c>build/native-env.sh</c>, which the
/// package ships beside the tool as <c>native/native-env.sh</c>. Preloads take effect only when a process starts, so the
/// tool re-executes itself (execve: the same process id, arguments and standard streams) under that script, once:
/// the script sets <c>FORWARDGNN_NATIVE_ENV=1</c>. Nothing happens where the script is not beside the tool (a build
/// output, as the tests and <c>./forwardgnn</c> run it: the launcher sources the script itself), where
/// <c>FORWARDGNN_NATIVE_ENV</c> is set (<c>off</c>: no change), or off Linux x86-64. What the script fetches or compiles
/// goes into <c>$XDG_CACHE_HOME/forwardgnn/native</c> (default <c>~/.cache/forwardgnn/native</c>) unless
/// <c>FORWARDGNN_NATIVE_DIR</c> names another folder.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>Set by native-env.sh once the process is prepared; <c>off</c> asks for no change.</summary>
    public const string PreparedVariable = "FORWARDGNN_NATIVE_ENV";

    /// <summary>The folder of native-env.sh's files (and of the "said once" marks).</summary>
    public const string FolderVariable = "FORWARDGNN_NATIVE_DIR";

    /// <summary>
    /// Re-executes the process under native/native-env.sh when it applies (see the type); returns only when it does
    /// not apply or the re-execution failed (then the process goes on as it was started, and says so).
    /// Call it first in <c>Main</c>, before anything starts threads of its own or loads native libraries.
    /// </summary>
    public static void ReexecuteIfNeeded()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        if (Environment.GetEnvironmentVariable(PreparedVariable) is not null) return;
        string script = Path.Combine(AppContext.BaseDirectory, "native", "native-env.sh");
        const string shell = "/bin/bash";
        if (!File.Exists(script) || !File.Exists(shell) || Environment.ProcessPath is not { } executable) return;
        string[]? original = OriginalArguments();
        if (original is not { Length: > 0 }) return;

        var argv = new List<string> { shell, "-c", "source \"$0\"; exec \"$@\"", script, executable };
        argv.AddRange(original.Skip(1));   // argv[0] is the name the user typed; the path above replaces it
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            environment[(string)e.Key] = (string?)e.Value ?? "";
        if (!environment.ContainsKey(FolderVariable)) environment[FolderVariable] = DefaultFolder();

        int error = Execute(shell, argv, environment.Select(e => $"{e.Key}={e.Value}"));
        Console.Error.WriteLine($"forwardgnn: could not restart under {script} (errno {error}); running without its settings " +
                                $"(set {PreparedVariable}=off to skip this)");
    }

    /// <summary><c>$XDG_CACHE_HOME/forwardgnn/native</c>, else <c>~/.cache/forwardgnn/native</c>.</summary>
    internal static string DefaultFolder()
    {
        string? cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache) || !Path.IsPathRooted(cache))
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify), ".cache");
        return Path.Combine(cache, "forwardgnn", "native");
    }

    /// <summary>The process's own argv, as the kernel holds it (for <c>dotnet tool.dll ARGS</c>: the dll and ARGS).</summary>
    private static string[]? OriginalArguments()
    {
        try
        {
            byte[] raw = File.ReadAllBytes("/proc/self/cmdline");
            if (raw.Length == 0) return null;
            return Encoding.UTF8.GetString(raw, 0, raw[^1] == 0 ? raw.Length - 1 : raw.Length).Split('\0');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>execve; returns errno when it fails (on success it does not return).</summary>
    private static unsafe int Execute(string path, IReadOnlyList<string> argv, IEnumerable<string> environment)
    {
        string[] env = environment.ToArray();
        nint[] args = new nint[argv.Count + 1], envp = new nint[env.Length + 1];
        try
        {
            for (int i = 0; i < argv.Count; i++) args[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
            for (int i = 0; i < env.Length; i++) envp[i] = Marshal.StringToCoTaskMemUTF8(env[i]);
            fixed (nint* a = args, e = envp)
            {
                execve(path, a, e);
                return Marshal.GetLastPInvokeError();
            }
        }
        finally
        {
            foreach (nint p in args.Concat(envp)) if (p != 0) Marshal.FreeCoTaskMem(p);
        }
    }

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int execve(string path, nint* argv, nint* envp);
}
