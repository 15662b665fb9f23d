using System.Globalization;
using ForwardGnn.Cli.Commands;

namespace ForwardGnn.Cli.RunFolders;

/// <summary>
/// One process at a time in a folder we write: an exclusive OS file lock (<c>flock</c>, taken by opening
/// <c>.forwardgnn.lock</c> with <see cref="FileShare.None"/>) held until disposed or until the process dies, when the
/// kernel releases it, so a killed run never leaves a stale lock. A refused process names the holder's pid, found in
/// <c>/proc/locks</c>. The lock file is never deleted: unlinking it could let two processes lock two
/// different files of the same name.
/// </summary>
internal sealed class RunFolderLock : IDisposable
{
    public const string LockFileName = ".forwardgnn.lock";
    private const int WouldBlock = 11;   // EWOULDBLOCK, the HResult .NET gives a sharing violation on Unix

    private readonly FileStream _lock;

    private RunFolderLock(string folder, FileStream held)
    {
        Folder = folder;
        _lock = held;
    }

    /// <summary>The folder's full path.</summary>
    public string Folder { get; }

    /// <summary>
    /// Locks <paramref name="folder"/> (created if missing); a folder another process holds is refused with its pid,
    /// after waiting up to <paramref name="wait"/> for it to be let go.
    /// </summary>
    /// <exception cref="UsageException">Another process holds the folder.</exception>
    public static RunFolderLock Acquire(string folder, string what, TimeSpan wait = default)
    {
        string full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        string lockPath = Path.Combine(full, LockFileName);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new RunFolderLock(full, new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (e.HResult == WouldBlock)
            {
                if (clock.Elapsed < wait)
                {
                    Thread.Sleep(200);
                    continue;
                }
                throw new UsageException($"{folder}: {what} is in use by another forwardgnn process ({Holder(lockPath)}); " +
                    "wait for it to finish or choose another folder");
            }
        }
    }

    /// <summary>
    /// The pid holding the lock on <paramref name="lockPath"/>: the kernel lists every <c>flock</c> holder in
    /// <c>/proc/locks</c>, and the holder is the one with the file open. Nothing is written for it, so taking the lock
    /// changes no file.
    /// </summary>
    private static string Holder(string lockPath)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/locks"))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);   // "1:", "FLOCK", "ADVISORY", "WRITE", pid, …
                if (f.Length < 5 || f[1] != "FLOCK" || !int.TryParse(f[4], CultureInfo.InvariantCulture, out int pid) || pid <= 0) continue;
                string fds = $"/proc/{pid}/fd";
                if (Directory.Exists(fds) && Directory.EnumerateFiles(fds).Any(fd => new FileInfo(fd).LinkTarget == lockPath))
                    return $"pid {pid}";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return "pid unknown";
    }

    /// <summary>Releases the lock (the lock file stays).</summary>
    public void Dispose() => _lock.Dispose();
}
