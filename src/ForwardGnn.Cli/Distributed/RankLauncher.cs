using System.Diagnostics;
using System.Text.RegularExpressions;
using ForwardGnn.Cli.Commands;

namespace ForwardGnn.Cli.Distributed;

/// <summary>
/// <c>train --ranks K</c>: runs the same command as K ranks of an Open MPI job on this machine (or the hosts of a
/// hostfile), each rank being <c>train ... --distributed</c>. The settings are the ones distributed-transport tests
/// found right for small machines: no core binding (ranks share the cores), yielding when idle (ranks may outnumber
/// cores), and an explicit thread count per rank (under mpirun libtorch would pick 1).
/// </summary>
internal static partial class RankLauncher
{
    public static int Run(IReadOnlyList<string> trainArguments, int ranks, int threadsPerRank, string? hostfile)
    {
        if (!File.Exists("/usr/bin/mpirun")) throw new UsageException("--ranks needs Open MPI's mpirun: apt-get install openmpi-bin (build/ensure-mpi.sh does)");
        var start = new ProcessStartInfo("/usr/bin/mpirun") { UseShellExecute = false, RedirectStandardError = true };
        string[] launcher =
        [
            "-np", $"{ranks}", "--oversubscribe", "--bind-to", "none", "--mca", "mpi_yield_when_idle", "1",
            "-x", $"OMP_NUM_THREADS={threadsPerRank}", "-x", "TERM=dumb",
        ];
        foreach (string a in launcher) start.ArgumentList.Add(a);
        foreach (string name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("FORWARDGNN_", StringComparison.Ordinal)).Order())
        {
            start.ArgumentList.Add("-x");   // the tool's own settings reach every rank (on other hosts too)
            start.ArgumentList.Add(name);
        }
        if (hostfile is not null) { start.ArgumentList.Add("--hostfile"); start.ArgumentList.Add(hostfile); }
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        string host = Environment.ProcessPath ?? "dotnet";
        start.ArgumentList.Add(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (string a in trainArguments) start.ArgumentList.Add(a);
        start.ArgumentList.Add("--distributed");
        start.ArgumentList.Add("--threads");
        start.ArgumentList.Add($"{threadsPerRank}");
        using Process mpirun = Process.Start(start)!;
        string? lost = null;
        bool inBanner = false;
        string? line;
        while ((line = mpirun.StandardError.ReadLine()) is not null)
        {
            // The ranks' own lines pass through; Open MPI's boxed reports are read for the lost rank, not shown.
            if (line.StartsWith("-----", StringComparison.Ordinal)) { inBanner = !inBanner; continue; }
            if (LostRank().Match(line) is { Success: true } m)
                lost ??= $"rank {m.Groups[1].Value} ({(m.Groups[2].Value == "0" ? "" : $"pid {m.Groups[2].Value} ")}on {m.Groups[3].Value}) {m.Groups[4].Value.TrimEnd('.')}";
            if (!inBanner && !line.StartsWith("[", StringComparison.Ordinal)) Console.Error.WriteLine(line);
        }
        mpirun.WaitForExit();
        if (mpirun.ExitCode == 0) return 0;
        Console.Error.WriteLine(lost is null
            ? $"forwardgnn: error: the distributed job failed (mpirun exit code {mpirun.ExitCode}); every rank was stopped"
            : $"forwardgnn: error: {lost}; every rank of the job was stopped");
        return CliErrors.RuntimeFailure;
    }

    [GeneratedRegex(@"process rank (\d+) with PID (\d+) on node (\S+) (exited on signal \d+.*|exited with status \d+.*|exiting improperly.*)")]
    private static partial Regex LostRank();

    /// <summary>The command line of this <c>train</c> without <c>--ranks K</c>, <c>--hostfile F</c> and <c>--threads N</c>.</summary>
    public static List<string> TrainArguments(string[] commandLine)
    {
        var kept = new List<string>();
        for (int i = 0; i < commandLine.Length; i++)
        {
            if (commandLine[i] is "--ranks" or "--hostfile" or "--threads") { i++; continue; }
            if (commandLine[i].StartsWith("--ranks=", StringComparison.Ordinal) || commandLine[i].StartsWith("--hostfile=", StringComparison.Ordinal)
                || commandLine[i].StartsWith("--threads=", StringComparison.Ordinal)) continue;
            kept.Add(commandLine[i]);
        }
        return kept;
    }
}
