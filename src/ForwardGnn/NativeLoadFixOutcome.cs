namespace ForwardGnn;

/// <summary>What <see cref="ForwardGnnRuntime.Initialize"/> found and did about the app's copy of <c>libLibTorchSharp.so</c>.</summary>
public enum NativeLoadFixOutcome
{
    /// <summary>Nothing to do: the copy needs no missing version, the host's libstdc++ has it, it is not Linux x86-64, or <c>FORWARDGNN_NATIVE_LOAD_FIX=off</c>.</summary>
    NotNeeded,

    /// <summary>The copy's <c>GLIBCXX_3.4.32</c> need was marked weak in place, so this host's loader accepts it.</summary>
    Patched,

    /// <summary>No copy under the app's base folder (TorchSharp finds the library elsewhere); nothing was written.</summary>
    NotFound,

    /// <summary>The copy needed the patch but could not be read or written (a read-only install); loading it will fail on this host.</summary>
    Failed,
}
