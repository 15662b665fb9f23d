using ForwardGnn.Data;

namespace ForwardGnn.Cli.Protocol;

/// <summary>
/// The CLI's data roots: an explicit root (<c>--data-root</c>, else <c>$FORWARDGNN_DATA</c>) is the only root and must
/// exist. Otherwise <c>./data</c> is searched first (and receives downloads), then the shared dataset folder beside
/// the checkout (<c>../shared/datasets</c>, found from the working directory or from the program's own location).
/// </summary>
internal static class DataRootSearch
{
    public static DataRoots Resolve(string? explicitRoot)
    {
        if (explicitRoot is not null && !Directory.Exists(explicitRoot))
            throw new Commands.UsageException($"data root {Path.GetFullPath(explicitRoot)} does not exist (from --data-root)");
        if (explicitRoot is not null || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DataRoots.EnvironmentVariable)))
            return DataRoots.Resolve(explicitRoot);
        DataRoots local = DataRoots.Resolve();
        return FindSharedDatasets() is { } shared ? local with { SearchOrder = [.. local.SearchOrder, shared] } : local;
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
