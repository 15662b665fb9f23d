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
        var warmUp = new StartupWarmUp();
        warmUp.Dispose();
        Assert.True(warmUp.Finished);
    }
}
