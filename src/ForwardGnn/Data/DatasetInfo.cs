using ForwardGnn.Data.Formats;

namespace ForwardGnn.Data;

/// <summary>Node, directed-edge, feature and class counts PyG 2.2 produces for a dataset.</summary>
public sealed record DatasetCounts(int Nodes, int Edges, int Features, int Classes);

/// <summary>
/// One dataset the tool knows: its paper name (also its folder name under a data root), short aliases, the formats
/// it may be stored in (first match wins), where PyG downloads it from, and the counts PyG 2.2 produces.
/// </summary>
public sealed record DatasetInfo(string Name, string[] Aliases, IDatasetFormat[] Formats, Uri? DownloadUrl, DatasetCounts? Expected)
{
    /// <summary>True when <paramref name="nameOrAlias"/> is the name or an alias, ignoring case.</summary>
    public bool Matches(string nameOrAlias) =>
        string.Equals(Name, nameOrAlias, StringComparison.OrdinalIgnoreCase)
        || Aliases.Any(a => string.Equals(a, nameOrAlias, StringComparison.OrdinalIgnoreCase));
}
