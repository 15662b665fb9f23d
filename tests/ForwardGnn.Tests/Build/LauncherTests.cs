using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Build;

/// <summary>
/// The <c>./forwardgnn</c> launcher, run in a stand-in checkout whose <c>dotnet</c> is a script: it builds the tool
/// only when a source is newer than the build, and two commands started together after a change build it once (the
/// second waits for the first) instead of publishing into the same folders at the same time.
/// </summary>
public class LauncherTests
{
    // A stand-in for dotnet: "publish" takes a second, refuses to run beside another publish and counts its runs;
    // anything else is the tool running.
    private const string FakeDotnet = """
        #!/usr/bin/env bash
        if [[ "$1" == publish ]]; then
          while [[ $# -gt 0 ]]; do [[ "$1" == -o ]] && out="$2"; shift; done
          mkdir -p "$out"
          mkdir "$out/../publishing" 2>/dev/null || { echo "two publishes at once" >&2; exit 1; }
          echo publish >>"$out/../publishes"
          sleep 1
          echo tool >"$out/ForwardGnn.Cli.dll"
          rmdir "$out/../publishing"
          exit 0
        fi
        shift
        echo "ran $*"
        [[ -n "${SHOW_EXEC_NS:-}" ]] && echo "exec at $FORWARDGNN_EXEC_NS"
        exit 0
        """;

    [Fact]
    public async Task TwoCommandsAfterAChangeBuildTheToolOnceAndBothRun()
    {
        using var checkout = StandInCheckout();
        ProcessRun.Result[] results = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(() => Launch(checkout, $"--run{i}"))));

        foreach ((ProcessRun.Result r, int i) in results.Select((r, i) => (r, i)))
        {
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal($"ran --run{i}\n", r.Stdout);
        }
        Assert.Single(File.ReadAllLines(checkout["artifacts/publishes"]));
        Assert.Single(results, r => r.Stderr.Contains("forwardgnn: built in"));

        // Nothing changed since: the next command runs the tool without building it.
        ProcessRun.Result again = Launch(checkout, "--again");
        Assert.Equal(("ran --again\n", ""), (again.Stdout, again.Stderr));
        Assert.Single(File.ReadAllLines(checkout["artifacts/publishes"]));
    }

    [Fact]
    public void AChangedSourceBuildsTheToolAgain()
    {
        using var checkout = StandInCheckout();
        Assert.Equal(0, Launch(checkout, "--first").ExitCode);
        File.SetLastWriteTimeUtc(checkout["src/Changed.cs"], DateTime.UtcNow.AddSeconds(5));
        ProcessRun.Result r = Launch(checkout, "--second");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(2, File.ReadAllLines(checkout["artifacts/publishes"]).Length);
    }

    [Fact]
    public void StartedByARelativePathItFindsItsCheckoutAndSaysWhenItHandedOver()
    {
        using var checkout = StandInCheckout();
        Directory.CreateDirectory(checkout["elsewhere"]);
        foreach ((string folder, string launcher) in new[] { (checkout.Path, "./forwardgnn"), (checkout["elsewhere"], "../forwardgnn") })
        {
            long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
            ProcessRun.Result r = ProcessRun.Run("bash", [launcher, "--here"], folder, TimeSpan.FromMinutes(1), new Dictionary<string, string?>
            {
                ["PATH"] = checkout["bin"] + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["SHOW_EXEC_NS"] = "1",
            });
            long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
            Assert.True(r.ExitCode == 0, r.ToString());
            string[] lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("ran --here", lines[0]);
            long handedOver = long.Parse(lines[1]["exec at ".Length..]);   // ns since the epoch, as train --bench reads it
            Assert.InRange(handedOver, before - 1_000_000, after + 1_000_000);
        }
        Assert.True(File.Exists(checkout["artifacts/cli/ForwardGnn.Cli.dll"]));   // built in the checkout, not in the folder it was started from
        Assert.False(Directory.Exists(checkout["elsewhere/artifacts"]));
    }

    /// <summary>The launcher with empty sources, a do-nothing native-env.sh and the stand-in dotnet first on PATH.</summary>
    private static TempDir StandInCheckout()
    {
        var checkout = new TempDir();
        File.Copy(Path.Combine(RepositoryRoot.Path, "forwardgnn"), checkout["forwardgnn"]);
        foreach (string folder in new[] { "src", "build", "bin" }) Directory.CreateDirectory(checkout[folder]);
        foreach (string file in new[] { "src/Changed.cs", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            File.WriteAllText(checkout[file], "");
        File.WriteAllText(checkout["build/native-env.sh"], ":\n");
        File.WriteAllText(checkout["bin/dotnet"], FakeDotnet.Replace("\r\n", "\n") + "\n");
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the launcher is a bash script");
        foreach (string script in new[] { "bin/dotnet", "forwardgnn" })
            File.SetUnixFileMode(checkout[script], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return checkout;
    }

    private static ProcessRun.Result Launch(TempDir checkout, string argument) =>
        ProcessRun.Run(checkout["forwardgnn"], [argument], checkout.Path, TimeSpan.FromMinutes(1),
            new Dictionary<string, string?> { ["PATH"] = checkout["bin"] + ":" + Environment.GetEnvironmentVariable("PATH") });
}
