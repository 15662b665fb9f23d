namespace ForwardGnn.Data;

/// <summary>
/// Where catalogue datasets are looked for, in order, and where downloads go (<see cref="DatasetLoader"/>). By
/// default (<see cref="Resolve"/>) that is one folder: the one given, else <c>$FORWARDGNN_DATA</c>, else <c>./data</c>.
/// A dataset <c>Name</c> lives in <c>&lt;root&gt;/Name/</c> (docs/datasets.md).
/// </summary>
/// <param name="SearchOrder">The folders searched, first match wins.</param>
/// <param name="DownloadRoot">Where a dataset no folder has is downloaded to.</param>
public sealed record DataRoots(IReadOnlyList<string> SearchOrder, string DownloadRoot)
{
    /// <summary>The environment variable naming the data root when none is given.</summary>
    public const string EnvironmentVariable = "FORWARDGNN_DATA";

    /// <summary>One folder, searched and downloaded to.</summary>
    public static DataRoots At(string folder)
    {
        string root = Path.GetFullPath(folder);
        return new DataRoots([root], root);
    }

    /// <summary>
    /// <paramref name="root"/> if given (it must exist), else <c>$FORWARDGNN_DATA</c> if set (it must exist), else
    /// <c>./data</c> (created by the first download).
    /// </summary>
    /// <exception cref="ArgumentException">The given or named folder does not exist.</exception>
    public static DataRoots Resolve(string? root = null)
    {
        string? chosen = root ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(chosen)) return At("data");
        if (!Directory.Exists(chosen))
            throw new ArgumentException($"data root {Path.GetFullPath(chosen)} does not exist{(root is null ? $" (from ${EnvironmentVariable})" : "")}");
        return At(chosen);
    }
}
