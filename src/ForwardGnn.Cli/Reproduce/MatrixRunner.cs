using System.Collections.Concurrent;
using System.Diagnostics;

namespace ForwardGnn.Cli.Reproduce;

/// <summary>How one run of the matrix ended.</summary>
internal sealed record RunOutcome(MatrixRun Run, bool Succeeded, string Message, double Seconds);

/// <summary>
/// Runs matrix runs as child <c>forwardgnn train</c> processes, <paramref name="jobs"/> at a time, so each run's
/// peak memory is its own. A child's stderr goes to <c>train.log</c> in its folder. Children watch their standard
/// input and exit when it closes, so killing the matrix (even with SIGKILL) leaves no orphan writing results;
/// since <c>train</c> writes <c>result.json</c> by renaming a finished temporary file, no run is ever half-written.
/// </summary>
internal sealed class MatrixRunner(string root, IReadOnlyList<string> sharedArguments, int jobs)
{
    public async Task<List<RunOutcome>> RunAsync(IReadOnlyList<MatrixRun> runs, Action<MatrixRun> started, Action<RunOutcome> finished)
    {
        var outcomes = new ConcurrentQueue<RunOutcome>();
        await Parallel.ForEachAsync(runs, new ParallelOptions { MaxDegreeOfParallelism = jobs }, async (run, _) =>
        {
            started(run);
            RunOutcome outcome = await RunOne(run);
            outcomes.Enqueue(outcome);
            finished(outcome);
        });
        return [.. outcomes];
    }

    private async Task<RunOutcome> RunOne(MatrixRun run)
    {
        string folder = run.Folder(root);
        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(StartInfo(run))!;
        await using var log = new StreamWriter(Path.Combine(folder, "train.log"));
        string? lastLine = null;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.WriteLine(e.Data);
            lastLine = e.Data;
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await process.WaitForExitAsync();

        double seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode == 0 && CompletedRun.Read(folder) is { } result)
            return new RunOutcome(run, true, $"test {result.Test:F2}", seconds);
        return new RunOutcome(run, false, lastLine ?? $"exit code {process.ExitCode}", seconds);
    }

    private ProcessStartInfo StartInfo(MatrixRun run)
    {
        // The same tool that is running now: either its apphost, or `dotnet ForwardGnn.Cli.dll`.
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (string a in run.TrainArguments(root).Concat(sharedArguments).Append("--resume").Append("--exit-with-parent")) start.ArgumentList.Add(a);
        return start;
    }
}
