using System.Globalization;

namespace ForwardGnn.Data;

/// <summary>
/// What the process may allocate, checked before large allocations whose size an input decides (declared array sizes,
/// feature ids, synthetic graph parameters, model widths): the memory the system reports available (the smaller of
/// <c>MemAvailable</c> and the cgroup's remaining limit), or a limit the application sets (the CLI's
/// <c>--max-memory</c>). A request above it is refused with an estimate before anything is allocated, instead of
/// growing until the kernel kills the process.
/// </summary>
internal static class MemoryBudget
{
    private static long? _limit;

    /// <summary>Bytes one allocation plan may take; set by the application, else what the system has available.</summary>
    public static long Limit
    {
        get => _limit ?? Available();
        set => _limit = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "must be positive");
    }

    /// <summary>Whether <see cref="Limit"/> was set by the application rather than read from the system.</summary>
    public static bool IsSet => _limit is not null;

    /// <summary>
    /// Throws a <see cref="DataFormatException"/> naming <paramref name="source"/> when <paramref name="bytes"/> (what
    /// <paramref name="what"/> needs, estimated) exceed <see cref="Limit"/>.
    /// </summary>
    public static void Require(double bytes, string source, string what)
    {
        long limit = Limit;
        if (bytes > limit) throw new DataFormatException(source, Refusal(bytes, limit, what));
    }

    /// <summary>The refusal text: what needs how much, against the limit and where it came from.</summary>
    public static string Refusal(double bytes, long limit, string what) =>
        $"{what} needs about {Format(bytes)} of memory, more than the {Format(limit)} " +
        (IsSet ? "allowed" : "available to this process");

    /// <summary>A byte count as KiB, MiB, GiB or TiB with three significant digits.</summary>
    public static string Format(double bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        int u = 0;
        while (bytes >= 1024 && u < units.Length - 1) { bytes /= 1024; u++; }
        return u == 0 ? $"{bytes:F0} bytes" : $"{bytes.ToString(bytes >= 100 ? "F0" : "G3", CultureInfo.InvariantCulture)} {units[u]}";
    }

    /// <summary>A size such as <c>4G</c>, <c>512MiB</c>, <c>1.5g</c> or a byte count; null when it does not parse.</summary>
    public static long? Parse(string text)
    {
        string t = text.Trim().ToUpperInvariant();
        if (t.EndsWith('B') && t.Length > 1 && !char.IsDigit(t[^2])) t = t[..^1];   // "GB", "GIB" → "G", "GI"
        if (t.EndsWith('I')) t = t[..^1];
        double scale = t.Length == 0 ? 1 : t[^1] switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1 };
        if (scale != 1) t = t[..^1];
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value <= 0)
            return null;
        double bytes = value * scale;
        return bytes >= 1 && bytes < long.MaxValue ? (long)bytes : null;
    }

    /// <summary>A resource limit of <c>/proc/self/limits</c> less the process's current use of it (<c>/proc/self/status</c>).</summary>
    private static long ProcessLimitLeft(string limit, string usage)
    {
        string? line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith(limit, StringComparison.Ordinal));
        string[] fields = line?[limit.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (fields.Length == 0 || !long.TryParse(fields[0], CultureInfo.InvariantCulture, out long max)) return long.MaxValue;
        string? used = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(usage, StringComparison.Ordinal));
        long kib = used is null ? 0 : long.TryParse(used[usage.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out long k) ? k : 0;
        return Math.Max(0, max - kib * 1024);
    }

    /// <summary>
    /// MemAvailable, lowered to what the cgroup (v2) still allows and to what the process's own limits (<c>ulimit -d</c>,
    /// <c>ulimit -v</c>) leave; unlimited when none can be read.
    /// </summary>
    private static long Available()
    {
        long available = long.MaxValue;
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out long kib))
                    available = kib * 1024;
            string max = File.Exists("/sys/fs/cgroup/memory.max") ? File.ReadAllText("/sys/fs/cgroup/memory.max").Trim() : "max";
            if (long.TryParse(max, CultureInfo.InvariantCulture, out long cgroupMax)
                && long.TryParse(File.ReadAllText("/sys/fs/cgroup/memory.current").Trim(), CultureInfo.InvariantCulture, out long current))
                available = Math.Min(available, Math.Max(0, cgroupMax - current));
            available = Math.Min(available, ProcessLimitLeft("Max data size", "VmData:"));
            available = Math.Min(available, ProcessLimitLeft("Max address space", "VmSize:"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return available;
    }
}
