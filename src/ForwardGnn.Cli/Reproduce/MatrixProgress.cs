using System.Diagnostics;
using Spectre.Console;

namespace ForwardGnn.Cli.Reproduce;

/// <summary>
/// The terminal side of a running matrix, on stderr: a progress bar with done / running / left and the estimated
/// time remaining when stderr is a terminal, otherwise one plain line per started and finished run.
/// </summary>
internal sealed class MatrixProgress(int total)
{
    private readonly IAnsiConsole _err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private int _done, _running;
    private ProgressTask? _bar;

    public async Task<T> Show<T>(Func<Task<T>> work)
    {
        if (Console.IsErrorRedirected) return await work();
        T result = default!;
        await _err.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                _bar = ctx.AddTask(Status(), maxValue: Math.Max(total, 1));
                result = await work();
            });
        return result;
    }

    public void Started(MatrixRun run)
    {
        lock (_gate)
        {
            _running++;
            Report($"started {run}");
        }
    }

    public void Finished(RunOutcome outcome)
    {
        lock (_gate)
        {
            _running--;
            _done++;
            string line = $"{(outcome.Succeeded ? "done" : "FAILED")} {outcome.Run}: {outcome.Message} ({outcome.Seconds:F1} s)";
            Report(line);
            if (_bar is not null && !outcome.Succeeded) _err.WriteLine(line);
            _bar?.Increment(1);
        }
    }

    private string Status() => $"matrix: {_done} done · {_running} running · {total - _done - _running} left";

    private void Report(string line)
    {
        if (_bar is not null)
        {
            _bar.Description = Markup.Escape(Status());
            return;
        }
        string eta = _done == 0 ? "" : $", about {TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / _done * (total - _done)):hh\\:mm\\:ss} left";
        Console.Error.WriteLine($"[{_done}/{total}{eta}] {line}");
    }
}
