namespace ForwardGnn.Cli;

/// <summary>
/// Warms what a run uses first, in that order (the settings file's serializer, <see cref="Commands.TrainSettings.Warm"/>;
/// the JSON serializers, <see cref="JsonOutput.Warm"/>; the plotting library, <see cref="Plots.CurvePlot.Warm"/>), on a
/// background thread. <c>train</c> chains it after libtorch's load (<see cref="LibTorchPreload.Loading"/>): the dataset
/// and libtorch already load on both cores, and a third thread beside them delayed libtorch by about 60 ms where memory
/// is slow to fault in (docs/performance.md); after the load, the run's setup leaves the second core idle.
/// <see cref="Dispose"/> waits for it: a process that exits, say on a refused run folder, while that thread is inside
/// the plotting library's native code can crash in the library's teardown (exit code 139 instead of 2).
/// </summary>
internal sealed class StartupWarmUp : IDisposable
{
    private readonly Task _warming;

    /// <summary>Starts the warm-up once <paramref name="after"/> has ended, successfully or not.</summary>
    public StartupWarmUp(Task after)
    {
        static void Warm()
        {
            Commands.TrainSettings.Warm();
            JsonOutput.Warm();
            Plots.CurvePlot.Warm();
        }
        _warming = after.ContinueWith(_ => Warm(), TaskScheduler.Default);
    }

    /// <summary>Whether the warm-ups have run.</summary>
    public bool Finished => _warming.IsCompleted;

    /// <summary>Waits until the warm-up has finished (each part catches its own errors).</summary>
    public void Dispose() => _warming.Wait();
}
