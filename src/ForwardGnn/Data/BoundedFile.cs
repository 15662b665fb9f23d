namespace ForwardGnn.Data;

/// <summary>Reads a whole input file into memory only after checking its size against what one array and the memory budget allow.</summary>
internal static class BoundedFile
{
    /// <exception cref="DataFormatException">Missing, larger than one array can hold, or more than the memory budget.</exception>
    public static byte[] ReadAllBytes(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new DataFormatException(path, "file not found");
        if (info.Length > Array.MaxLength) throw new DataFormatException(path, $"is {MemoryBudget.Format(info.Length)}, larger than this reader accepts (2 GiB)");
        MemoryBudget.Require(2.0 * info.Length, path, "reading it");
        return File.ReadAllBytes(path);
    }
}
