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
    /// <param name="prepareShards">Run the preparation step first (distributed SF and BP): one process partitions every split and
    /// writes each rank's shard into the run folder, and the ranks read only their shards.</param>
    /// <param name="trainArguments">The train command line without --ranks, --hostfile and --threads.</param>
    /// <param name="ranks">K.</param>
    /// <param name="threadsPerRank">libtorch threads of each rank.</param>
    /// <param name="hostfile">Open MPI hostfile, or null for this machine.</param>
    public static int Run(IReadOnlyList<string> trainArguments, int ranks, int threadsPerRank, string? hostfile, bool prepareShards = false)
    {
        if (!File.Exists("/usr/bin/mpirun")) throw new UsageException("--ranks needs Open MPI's mpirun: apt-get install openmpi-bin (build/ensure-mpi.sh does)");
        string? shards = null;
        if (prepareShards)
        {
            (int code, string? folder) = Prepare(trainArguments, ranks, threadsPerRank);
            if (code != 0) return code;
            shards = folder;
        }
        var start = new ProcessStartInfo("/usr/bin/mpirun") { UseShellExecute = false, RedirectStandardError = true };
        string[] launcher =
        [
            "-np", $"{ranks}", "--oversubscribe", "--bind-to", "none", "--mca", "mpi_yield_when_idle", "1",
            // Open MPI 4.1's daemons share the hardware topology through a segment mapped at an address guessed from
            // their own memory map; the guess can crash a daemon (a segfault in hwloc_shmem_topology_write, seen on a
            // namespace "host"). Without the segment each process reads the topology itself.
            "--mca", "rtc_hwloc_vmhole", "none",
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
        if (shards is not null) { start.ArgumentList.Add("--shards"); start.ArgumentList.Add(shards); }
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

    /// <summary>The preparation step as a process of its own (its memory is not a rank's): the cache folder it printed, or its exit code.</summary>
    private static (int Code, string? Folder) Prepare(IReadOnlyList<string> trainArguments, int ranks, int threads)
    {
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (string a in trainArguments) start.ArgumentList.Add(a);
        foreach (string a in new[] { "--prepare-shards", $"{ranks}", "--threads", $"{threads}" }) start.ArgumentList.Add(a);
        using Process prepare = Process.Start(start)!;
        string[] lines = prepare.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        prepare.WaitForExit();
        return prepare.ExitCode == 0 && lines.Length > 0 ? (0, lines[^1].Trim()) : (prepare.ExitCode == 0 ? CliErrors.RuntimeFailure : prepare.ExitCode, null);
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
