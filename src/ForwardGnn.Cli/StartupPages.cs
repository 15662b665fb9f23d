using System.Runtime.InteropServices;

namespace ForwardGnn.Cli;

/// <summary>
/// Hands back to the kernel the pages of libtorch's code and read-only data that its start-up touched: operator
/// registration runs once through most of the 460 MB library, and those clean file pages stay in the process's
/// resident set (64–89 MiB here, more when the page cache holds the file in large folios) though training reads only
/// a small part of them again. <c>madvise(MADV_PAGEOUT)</c> on those mappings drops them from the resident set; a
/// page used again is mapped back from the page cache (a minor fault). Linux only; <c>FORWARDGNN_STARTUP_PAGES=keep</c>
/// leaves them (docs/runtime.md).
/// </summary>
internal static partial class StartupPages
{
    private const int MadvPageout = 21;

    /// <summary>Pages out the read-only file mappings of <paramref name="library"/>; returns the bytes advised (0 where not done).</summary>
    public static long Release(string library = "libtorch_cpu.so")
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("FORWARDGNN_STARTUP_PAGES") == "keep") return 0;
        long advised = 0;
        try
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                // start-end perms offset dev inode path
                string[] parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 6 || !parts[5].EndsWith("/" + library, StringComparison.Ordinal) || parts[1].Contains('w')) continue;
                string[] range = parts[0].Split('-');
                ulong start = Convert.ToUInt64(range[0], 16), end = Convert.ToUInt64(range[1], 16);
                if (Madvise((nint)start, (nuint)(end - start), MadvPageout) == 0) advised += (long)(end - start);
            }
        }
        catch (IOException)
        {
            return advised;
        }
        return advised;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
