namespace ForwardGnn.Engine;

/// <summary>The shared libraries mapped into this process, read from <c>/proc/self/maps</c> (Linux only).</summary>
internal static class LoadedLibraries
{
    /// <summary>The full paths of the mapped files, each once; empty where the maps cannot be read.</summary>
    public static IReadOnlyList<string> Paths()
    {
        string[] lines;
        try { lines = File.ReadAllLines("/proc/self/maps"); }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
        return lines.Select(l => l.IndexOf('/') is var at and >= 0 ? l[at..] : "").Where(p => p.Length > 0).Distinct().ToArray();
    }

    /// <summary>The path of the mapped libtorch_cpu.so after loading libtorch, or null.</summary>
    public static string? LibTorchCpu()
    {
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        return Paths().FirstOrDefault(p => Path.GetFileName(p) == "libtorch_cpu.so");
    }
}
