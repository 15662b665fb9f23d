using System.Diagnostics;

namespace ForwardGnn.Tests.Support;

/// <summary>Runs a program to its end with a time limit, its output captured, as a user's shell would start it.</summary>
internal static class ProcessRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout:\n{Stdout}\n--- stderr:\n{Stderr}";
    }

    /// <summary>
    /// Runs <paramref name="program"/> in <paramref name="folder"/>, without the test host's MSBuild, OpenMP and preload
    /// settings, with <paramref name="environment"/> on top (a null value removes a variable). Past
    /// <paramref name="limit"/> the process tree is killed and the test fails.
    /// </summary>
    public static Result Run(string program, IEnumerable<string> args, string folder, TimeSpan limit,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);   // the test host's MSBuild settings are not the app's
        foreach (string name in new[] { "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS", "LD_PRELOAD", "GLIBC_TUNABLES",
                     "FORWARDGNN_NATIVE_ENV", "FORWARDGNN_NATIVE_DIR", "FORWARDGNN_DATA" })
            start.Environment.Remove(name);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>()) start.Environment[name] = value;

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} ran past {limit.TotalMinutes} min");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
