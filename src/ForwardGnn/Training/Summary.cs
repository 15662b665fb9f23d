namespace ForwardGnn.Training;

/// <summary>Mean and population standard deviation (ddof = 0, as numpy's default) over runs.</summary>
public static class Summary
{
    /// <summary>Mean and population standard deviation of <paramref name="values"/>; (NaN, NaN) when empty.</summary>
    public static (double Mean, double Std) MeanStd(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Count;
        return (mean, Math.Sqrt(variance));
    }

    /// <summary>Peak resident memory of this process in MiB (VmHWM), or NaN where /proc is absent.</summary>
    public static double PeakRssMiB()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return double.NaN;
        string? line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : KibFromStatusLine(line) / 1024.0;
    }

    /// <summary>The number of a /proc status line such as "VmHWM:\t  347820 kB" (no space after the tab from 10⁷ kB on).</summary>
    internal static long KibFromStatusLine(string line) =>
        long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
