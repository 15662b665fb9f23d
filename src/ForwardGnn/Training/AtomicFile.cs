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
}
