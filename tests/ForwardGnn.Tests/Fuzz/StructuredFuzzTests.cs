using System.Diagnostics;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Fuzz;

/// <summary>
/// 20,000 structure-aware mutations of npy headers, npz directories and members, the MUSAE csv/json files, checkpoint
/// files and run folders, run in a child process whose data segment is capped at 2 GiB (<c>ulimit -d</c>, which bounds
/// the managed heap and libtorch's allocations alike): zero unhandled exceptions, zero out-of-memory kills (exit 137),
/// zero hangs (exit 3, from the fuzzer's watchdog, or the 5-minute limit here).
/// </summary>
public class StructuredFuzzTests
{
    private const int Cases = 20_000;
    private const long CapKiB = 2L << 20;

    [Fact]
    public async Task TwentyThousandStructuredMutationsUnderATwoGibCapGiveOnlyInputErrors()
    {
        using var dir = new TempDir();
        string tests = Path.Combine(AppContext.BaseDirectory, "ForwardGnn.Tests.dll");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"ulimit -d {CapKiB} && exec dotnet '{tests}' fuzz '{dir["scratch"]}' 20261207 {Cases}");
        var clock = Stopwatch.StartNew();
        using Process fuzz = Process.Start(start)!;
        Task<string> stdout = fuzz.StandardOutput.ReadToEndAsync(), stderr = fuzz.StandardError.ReadToEndAsync();
        bool exited = fuzz.WaitForExit(TimeSpan.FromMinutes(5));
        if (!exited) fuzz.Kill(entireProcessTree: true);
        string output = await stdout + await stderr;
        Assert.True(exited, $"the fuzz did not finish in 5 minutes (a hang): {output}");
        Assert.True(fuzz.ExitCode == 0, $"exit {fuzz.ExitCode} after {clock.Elapsed.TotalSeconds:F0} s (137: killed for memory, 3: a hang): {output}");
        Assert.Contains($"fuzz: {Cases} cases", output);
        Assert.Contains(" 0 failures", output);
    }
}
