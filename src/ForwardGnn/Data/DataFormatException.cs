namespace ForwardGnn.Data;

/// <summary>
/// A data file that cannot be used: missing, truncated, of an unsupported type, or inconsistent with the rest of the
/// dataset. <see cref="Exception.Message"/> is one line naming the file and the problem.
/// </summary>
public sealed class DataFormatException(string file, string problem, Exception? inner = null)
    : Exception($"{file}: {problem}", inner)
{
    /// <summary>The file (or archive member, as <c>archive.npz:member</c>) that is at fault.</summary>
    public string File { get; } = file;

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; } = problem;
}
