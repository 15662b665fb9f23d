using System.Globalization;
using ForwardGnn.Cli.Commands;

namespace ForwardGnn.Cli.RunFolders;

/// <summary>
/// One process at a time in a folder we write: an exclusive OS file lock (<c>flock</c>, taken by opening
/// <c>.forwardgnn.lock</c> with <see cref="FileShare.None"/>) held until disposed or until the process dies, when the
/// kernel releases it, so a killed run never leaves a stale lock. The holder's pid goes into <c>.forwardgnn.owner</c>
/// so a refused process can name it. The lock file is never deleted: unlinking it could let two processes lock two
/// different files of the same name.
/// </summary>
internal sealed class RunFolderLock : IDisposable
{
    public const string LockFileName = ".forwardgnn.lock";
    public const string OwnerFileName = ".forwardgnn.owner";
    private const int WouldBlock = 11;   // EWOULDBLOCK, the HResult .NET gives a sharing violation on Unix

    private readonly FileStream _lock;

    private RunFolderLock(string folder, FileStream held)
    {
        Folder = folder;
        _lock = held;
    }

    /// <summary>The folder's full path.</summary>
    public string Folder { get; }

    /// <summary>Locks <paramref name="folder"/> (created if missing); a folder another process holds is refused with its pid.</summary>
    /// <exception cref="UsageException">Another process holds the folder.</exception>
    public static RunFolderLock Acquire(string folder, string what)
    {
        string full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        FileStream held;
        try
        {
            held = new FileStream(Path.Combine(full, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.HResult == WouldBlock)
        {
            throw new UsageException($"{folder}: {what} is in use by another forwardgnn process ({Holder(full)}); " +
                "wait for it to finish or choose another folder");
        }
        File.WriteAllText(Path.Combine(full, OwnerFileName + ".tmp"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(Path.Combine(full, OwnerFileName + ".tmp"), Path.Combine(full, OwnerFileName), overwrite: true);
        return new RunFolderLock(full, held);
    }

    private static string Holder(string folder)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(folder, OwnerFileName)).Trim();
            return int.TryParse(text, CultureInfo.InvariantCulture, out int pid) ? $"pid {pid}" : "pid unknown";
        }
        catch (IOException)
        {
            return "pid unknown";
        }
    }

    /// <summary>Releases the lock (the lock file stays).</summary>
    public void Dispose() => _lock.Dispose();
}
