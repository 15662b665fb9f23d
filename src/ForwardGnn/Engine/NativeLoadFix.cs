using System.Runtime.InteropServices;
using ForwardGnn.Build;

namespace ForwardGnn.Engine;

/// <summary>
/// The run-time half of the native-load fix (docs/native-load.md): where the app's own copy of
/// <c>libLibTorchSharp.so</c> still has a hard <c>GLIBCXX_3.4.32</c> need and the host's libstdc++ lacks that version,
/// marks the need weak in place, before TorchSharp loads the library. Build-time patching (the package's targets)
/// covers package consumers; this covers every other one, a ProjectReference from outside the repository included.
/// Only files under the app's base folder are ever written, never the NuGet cache.
/// </summary>
internal static class NativeLoadFix
{
    /// <summary>The one version the library needs and never uses.</summary>
    public const string Version = "GLIBCXX_3.4.32";

    /// <summary>Set to <c>off</c> to leave the app's copy of the library as it is.</summary>
    public const string DisableVariable = "FORWARDGNN_NATIVE_LOAD_FIX";

    /// <summary>Where an app's build or publish puts the library, relative to its base folder.</summary>
    public static readonly string[] RelativePaths = [Path.Combine("runtimes", "linux-x64", "native", "libLibTorchSharp.so"), "libLibTorchSharp.so"];

    /// <summary>Checks, and patches where needed, the copies under <paramref name="baseDirectory"/>.</summary>
    public static NativeLoadFixOutcome Apply(string baseDirectory, IEnumerable<string> hostLibStdCxxCandidates)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64
            || string.Equals(Environment.GetEnvironmentVariable(DisableVariable), "off", StringComparison.OrdinalIgnoreCase))
            return NativeLoadFixOutcome.NotNeeded;
        try
        {
            string[] copies = RelativePaths.Select(p => Path.Combine(baseDirectory, p)).Where(File.Exists).ToArray();
            if (copies.Length == 0) return NativeLoadFixOutcome.NotFound;
            string[] strong = copies.Where(c => ElfVersionNeed.HasStrongNeed(c, Version)).ToArray();
            if (strong.Length == 0 || ElfVersionNeed.HostLibraryDefines(Version, hostLibStdCxxCandidates))
                return NativeLoadFixOutcome.NotNeeded;
            foreach (string copy in strong) ElfVersionNeed.MarkWeak(copy, Version);
            return NativeLoadFixOutcome.Patched;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return NativeLoadFixOutcome.Failed;   // read-only install, say: TorchSharp's own load error follows
        }
    }
}
