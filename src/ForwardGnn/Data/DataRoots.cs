namespace ForwardGnn.Data;

/// <summary>
/// Where datasets are looked for, in order, and where downloads go. An explicit root (<c>--data-root</c>, else
/// <c>$FORWARDGNN_DATA</c>) is the only root and must exist. Otherwise <c>./data</c> is searched first (and receives downloads),
/// then the shared dataset folder beside the checkout (<c>../shared/datasets</c>, found from the working directory
/// or from the program's own location).
/// </summary>
public sealed record DataRoots(IReadOnlyList<string> SearchOrder, string DownloadRoot)
{
    /// <summary>The environment variable naming an explicit data root when none is passed.</summary>
    public const string EnvironmentVariable = "FORWARDGNN_DATA";

    /// <summary>The roots to use: <paramref name="explicitRoot"/> (else <c>$FORWARDGNN_DATA</c>) alone if given, else <c>./data</c> then the shared dataset folder.</summary>
    public static DataRoots Resolve(string? explicitRoot = null)
    {
        string? chosen = explicitRoot ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(chosen))
        {
            string root = Path.GetFullPath(chosen);
            if (!Directory.Exists(root))
                throw new ArgumentException($"data root {root} does not exist (from {(explicitRoot is null ? "$" + EnvironmentVariable : "--data-root")})");
            return new DataRoots([root], root);
        }
        string local = Path.GetFullPath("data");
        var order = new List<string> { local };
        if (FindSharedDatasets() is { } shared) order.Add(shared);
        return new DataRoots(order, local);
    }

    /// <summary>The nearest <c>shared/datasets</c> folder in an ancestor of the working or program directory.</summary>
    public static string? FindSharedDatasets()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "datasets");
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
