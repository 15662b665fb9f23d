using TorchSharp;

namespace ForwardGnn.Cli;

/// <summary>
/// Loads libtorch (about 0.2 s: mapping the library and registering its operators) on a background thread while
/// <c>train</c> reads its dataset, which needs no libtorch. <see cref="Wait"/> returns once it has loaded, with the
/// load's own error if it failed; the thread count is set afterwards on the calling thread
/// (<see cref="Engine.ComputeThreads.Set"/>), as without the preload. <see cref="Dispose"/> waits for the load: a
/// process that ends, say on a refused dataset, while another thread is inside the dynamic loader could crash in its
/// teardown.
/// </summary>
internal sealed class LibTorchPreload : IDisposable
{
    private readonly Task _loading = Task.Run(() => torch.InitializeDeviceType(DeviceType.CPU));

    /// <summary>The load, ended when libtorch has loaded or failed to.</summary>
    public Task Loading => _loading;

    /// <summary>Waits until libtorch has loaded; throws the load's error, unwrapped.</summary>
    public void Wait() => _loading.GetAwaiter().GetResult();

    /// <summary>Waits until the load has ended, successfully or not (its error is <see cref="Wait"/>'s to report).</summary>
    public void Dispose()
    {
        try { _loading.Wait(); }
        catch (AggregateException) { }
    }
}
