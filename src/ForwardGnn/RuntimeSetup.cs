namespace ForwardGnn;

/// <summary>What <see cref="ForwardGnnRuntime.Initialize"/> did to the process (the same object on every call).</summary>
/// <param name="NativeLoadFix">The native-load fix of the app's <c>libLibTorchSharp.so</c> copy.</param>
/// <param name="NativeTuningApplied">True when glibc's allocator settings and libgomp's passive wait policy were applied (Linux/glibc).</param>
/// <param name="LibTorchLoadedFirst">True when libtorch was already loaded when the setup ran: libgomp had then read its
/// environment, so the passive wait policy did not take effect (call <see cref="ForwardGnnRuntime.Initialize"/> before the first use of <c>torch</c>).</param>
/// <param name="Threads">The thread count set for libtorch and the sparse kernels (<see cref="Engine.ComputeThreads"/>); 0 when it had to be set in libtorch directly and libtorch could not be loaded.</param>
public sealed record RuntimeSetup(NativeLoadFixOutcome NativeLoadFix, bool NativeTuningApplied, bool LibTorchLoadedFirst, int Threads);
