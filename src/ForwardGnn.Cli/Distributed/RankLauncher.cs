using System.Diagnostics;
using ForwardGnn.Cli.Commands;

namespace ForwardGnn.Cli.Distributed;

/// <summary>
/// <c>train --ranks K</c>: runs the same command as K ranks of an Open MPI job on this machine (or the hosts of a
/// hostfile), each rank being <c>train ... --distributed</c>. The settings are the ones distributed-transport tests
/// found right for small machines: no core binding (ranks share the cores), yielding when idle (ranks may outnumber
/// cores), and an explicit thread count per rank (under mpirun libtorch would pick 1).
/// </summary>
internal static class RankLauncher
{
    public static int Run(IReadOnlyList<string> trainArguments, int ranks, int threadsPerRank, string? hostfile)
    {
        if (!File.Exists("/usr/bin/mpirun")) throw new UsageException("--ranks needs Open MPI's mpirun: apt-get install openmpi-bin (build/ensure-mpi.sh does)");
        var start = new ProcessStartInfo("/usr/bin/mpirun") { UseShellExecute = false };
        string[] launcher =
        [
            "-np", $"{ranks}", "--oversubscribe", "--bind-to", "none", "--mca", "mpi_yield_when_idle", "1",
            "-x", $"OMP_NUM_THREADS={threadsPerRank}", "-x", "TERM=dumb",
        ];
        foreach (string a in launcher) start.ArgumentList.Add(a);
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
        mpirun.WaitForExit();
        return mpirun.ExitCode;
    }

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
