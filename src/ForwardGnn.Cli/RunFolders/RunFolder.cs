using System.Text;
using ForwardGnn.Cli.Commands;
using ForwardGnn.Data;
using ForwardGnn.Training;

namespace ForwardGnn.Cli.RunFolders;

/// <summary>
/// Opening a folder the tool writes into: it must be new, empty, one of ours (it holds the marker
/// <c>.forwardgnn-run</c> naming its kind, or only names its kind writes), or the user must pass <c>--overwrite</c>;
/// then it is locked against other processes and marked. Callers replace only the files they write, so a user's
/// other files and subfolders survive even <c>--overwrite</c>.
/// </summary>
internal static class RunFolder
{
    public const string MarkerFileName = ".forwardgnn-run";
    private const string MarkerPrefix = "forwardgnn ";

    /// <summary>Checks, locks and marks <paramref name="folder"/>; the caller holds the returned lock while writing.</summary>
    /// <param name="option">The option that named the folder, for the error line (<c>--out</c>, <c>--save</c>).</param>
    /// <param name="wait">How long to wait for another process to let the folder go before refusing.</param>
    /// <exception cref="UsageException">The folder is someone else's (and no <paramref name="overwrite"/>), or another process holds it.</exception>
    public static RunFolderLock Open(string folder, RunFolderKind kind, bool overwrite, string option, TimeSpan wait = default)
    {
        if (File.Exists(folder)) throw new UsageException($"{folder}: is a file; {option} names a folder");
        if (!overwrite) CheckOurs(folder, kind, option);
        RunFolderLock held = RunFolderLock.Acquire(folder, $"this {kind.Name} folder", wait);
        if (MarkedKind(held.Folder) != kind.Name) AtomicFile.WriteAllText(Path.Combine(held.Folder, MarkerFileName), MarkerPrefix + kind.Name + "\n");
        return held;
    }

    private static void CheckOurs(string folder, RunFolderKind kind, string option)
    {
        if (!Directory.Exists(folder)) return;
        string? marked = MarkedKind(folder);
        if (marked == kind.Name) return;
        string[] foreign = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>()
            .Where(n => !IsBookkeeping(n) && !kind.Writes(n)).Order(StringComparer.Ordinal).ToArray();
        if (marked is null && foreign.Length == 0) return;
        string what = marked is not null
            ? $"is a forwardgnn {EchoedText.Shorten(marked, 40)} folder, not a {kind.Name} folder"
            : $"is not empty and not a forwardgnn {kind.Name} folder (it holds {EchoedText.Shorten(string.Join(", ", foreign.Take(3)), 80)}{(foreign.Length > 3 ? ", ..." : "")})";
        throw new UsageException($"{folder}: {what}; choose another {option}, or add --overwrite to write into it (only the files forwardgnn writes are replaced)");
    }

    /// <summary>The kind named by the folder's marker, or null when it has none.</summary>
    private static string? MarkedKind(string folder)
    {
        string marker = Path.Combine(folder, MarkerFileName);
        if (!File.Exists(marker)) return null;
        var head = new byte[128];   // a marker is one short line; never read a large file someone put in its place
        int length;
        using (FileStream stream = File.OpenRead(marker)) length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        string text = Encoding.UTF8.GetString(head, 0, length).Trim();
        return text.StartsWith(MarkerPrefix, StringComparison.Ordinal) ? text[MarkerPrefix.Length..] : null;
    }

    private static bool IsBookkeeping(string name) => name is MarkerFileName or RunFolderLock.LockFileName or MarkerFileName + ".tmp";
}
