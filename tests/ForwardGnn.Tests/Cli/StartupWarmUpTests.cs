using ForwardGnn.Cli;

namespace ForwardGnn.Tests.Cli;

public class StartupWarmUpTests
{
    /// <summary>
    /// A run that stops at once (a refused folder, bad data) leaves train's body with the warm-up still rendering its
    /// plot: leaving must wait for it, or the process can exit under the plotting library's native code.
    /// </summary>
    [Fact]
    public void LeavingWaitsForTheWarmUpToFinish()
    {
        var warmUp = new StartupWarmUp(Task.CompletedTask);
        warmUp.Dispose();
        Assert.True(warmUp.Finished);
    }

    /// <summary>
    /// Chained after libtorch's load, the warm-up waits for it, and still runs when the load failed (the load's error is
    /// the command's to report, not the warm-up's).
    /// </summary>
    [Fact]
    public void AfterAnotherTaskItStartsWhenThatTaskEndsEvenInFailure()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        new StartupWarmUp(Task.CompletedTask).Dispose();
        TimeSpan alone = clock.Elapsed;

        var load = new TaskCompletionSource();
        var warmUp = new StartupWarmUp(after: load.Task);
        Thread.Sleep(TimeSpan.FromMilliseconds(100) + 4 * alone);
        Assert.False(warmUp.Finished);
        load.SetException(new InvalidOperationException("libtorch did not load"));
        warmUp.Dispose();
        Assert.True(warmUp.Finished);
    }
}
