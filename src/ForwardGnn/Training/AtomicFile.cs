namespace ForwardGnn.Training;

/// <summary>
/// Writes a file through a temporary file and a rename, so a reader (or a run resumed after a crash) sees the old
/// file, the complete new one, or none — never half a file.
/// </summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/> on a temporary file, then renames it into place.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        using (FileStream stream = File.Create(path + ".tmp")) write(stream);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
