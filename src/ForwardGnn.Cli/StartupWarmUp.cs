namespace ForwardGnn.Cli;

/// <summary>
/// Warms what a run uses first, in that order (the settings file's serializer, <see cref="Commands.TrainSettings.Warm"/>;
/// the JSON serializers, <see cref="JsonOutput.Warm"/>; the plotting library, <see cref="Plots.CurvePlot.Warm"/>), on a
/// background thread while <c>train</c> loads, when the second core is idle.
/// <see cref="Dispose"/> waits for it: a process that exits, say on a refused run folder, while that thread is inside
/// the plotting library's native code can crash in the library's teardown (exit code 139 instead of 2).
/// </summary>
internal sealed class StartupWarmUp : IDisposable
{
    private readonly Task _warming = Task.Run(() =>
    {
        Commands.TrainSettings.Warm();
        JsonOutput.Warm();
        Plots.CurvePlot.Warm();
    });

    /// <summary>Whether the warm-ups have run.</summary>
    public bool Finished => _warming.IsCompleted;

    /// <summary>Waits until the warm-up has finished (each part catches its own errors).</summary>
    public void Dispose() => _warming.Wait();
}
