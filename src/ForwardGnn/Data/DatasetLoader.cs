using ForwardGnn.Data.Formats;

namespace ForwardGnn.Data;

/// <summary>
/// Finds a dataset under the data roots (folder named after the dataset, one of its formats' files inside), reads
/// it, applies <see cref="NormalizeFeatures"/>, and — when a downloader is given and no root has it — downloads the
/// file PyG downloads and checks its counts before using it.
/// </summary>
public sealed class DatasetLoader(DataRoots roots, DatasetDownloader? downloader = null, IProgress<DownloadProgress>? progress = null)
{
    /// <summary>Where catalogue datasets are looked for.</summary>
    public DataRoots Roots { get; } = roots;

    /// <summary>The file a dataset would be read from, or null when no root has it.</summary>
    public (string Path, IDatasetFormat Format)? Locate(DatasetInfo info)
    {
        foreach (string root in Roots.SearchOrder)
            foreach (IDatasetFormat format in info.Formats)
                foreach (string file in format.FileNames)
                {
                    string path = Path.Combine(root, info.Name, file);
                    if (File.Exists(path)) return (path, format);
                }
        return null;
    }

    /// <summary>
    /// A catalogue dataset by name or alias, a synthetic graph (<c>sbm:…</c>, see <see cref="SyntheticSbm"/>), or a
    /// user's graph by path (<see cref="DatasetPaths"/>). Names win over paths: write <c>./cora</c> for a folder
    /// called <c>cora</c>.
    /// </summary>
    public GraphDataset Load(string nameOrAlias)
    {
        if (SyntheticSbm.IsSpec(nameOrAlias)) return Normalised(SyntheticSbm.Generate(SyntheticSbm.Parse(nameOrAlias)).Check());
        if (DatasetCatalog.TryFind(nameOrAlias) is not null || !DatasetPaths.IsPath(nameOrAlias)) return Load(DatasetCatalog.Find(nameOrAlias));
        (string file, IDatasetFormat format, string name) = DatasetPaths.Resolve(nameOrAlias);
        return Normalised(format.Read(name, file).Check());
    }

    /// <summary>
    /// How a run records the dataset: the catalogue name for a name or alias, the canonical spec for <c>sbm:</c>,
    /// the full path for a path.
    /// </summary>
    /// <exception cref="ArgumentException">Neither a known name nor a path.</exception>
    public static string CanonicalName(string nameOrPath) =>
        SyntheticSbm.IsSpec(nameOrPath) ? SyntheticSbm.Parse(nameOrPath).Name
        : DatasetCatalog.TryFind(nameOrPath)?.Name is { } name ? name
        : DatasetPaths.IsPath(nameOrPath) ? Path.GetFullPath(nameOrPath)
        : DatasetCatalog.Find(nameOrPath).Name;

    /// <summary>A catalogue dataset, read (or downloaded) and normalised.</summary>
    public GraphDataset Load(DatasetInfo info)
    {
        (string path, IDatasetFormat format) = Locate(info) ?? Download(info);
        return Normalised(format.Read(info.Name, path).Check());
    }

    private static GraphDataset Normalised(GraphDataset raw) => raw with { Features = NormalizeFeatures.Apply(raw.Features, raw.SourcePath) };

    private (string, IDatasetFormat) Download(DatasetInfo info)
    {
        string searched = string.Join(", ", Roots.SearchOrder.Select(r => Path.Combine(r, info.Name)));
        Uri? url = downloader?.UrlFor(info);
        if (downloader is null || url is null)
            throw new DatasetNotFoundException($"dataset {info.Name} not found (looked in {searched})");

        IDatasetFormat format = info.Formats[0];
        string destination = Path.Combine(Roots.DownloadRoot, info.Name, format.FileNames[0]);
        downloader.DownloadAsync(url, destination, progress).GetAwaiter().GetResult();
        try
        {
            GraphDataset downloaded = format.Read(info.Name, destination);
            CheckCounts(info, downloaded, destination);
            CheckDigest(info, downloaded, destination);
        }
        catch
        {
            File.Delete(destination);
            throw;
        }
        return (destination, format);
    }

    /// <summary>
    /// Throws when the downloaded graph's content SHA-256 (<see cref="DatasetDigest"/>) is not the known one, or when
    /// none is known: a file that cannot be verified is not used.
    /// </summary>
    private static void CheckDigest(DatasetInfo info, GraphDataset data, string path)
    {
        string actual = DatasetDigest.Compute(data);
        if (DatasetDigest.KnownFor(info) is not { } known)
            throw new DataFormatException(path, $"{info.Name} has no known SHA-256 to verify a download against, so it was removed; " +
                "put the file under a data root yourself (docs/datasets.md)");
        if (actual != known)
            throw new DataFormatException(path, $"content SHA-256 {actual[..16]}… is not {info.Name}'s {known[..16]}…; the download was removed");
    }

    /// <summary>Throws when a dataset's node, edge, feature or class counts differ from PyG's.</summary>
    public static void CheckCounts(DatasetInfo info, GraphDataset data, string path)
    {
        if (info.Expected is not { } e) return;
        var actual = new DatasetCounts(data.NumNodes, data.Edges.Count, data.NumFeatures, data.NumClasses);
        if (actual != e)
            throw new DataFormatException(path,
                $"has {actual.Nodes} nodes, {actual.Edges} edges, {actual.Features} features, {actual.Classes} classes; " +
                $"{info.Name} should have {e.Nodes}, {e.Edges}, {e.Features}, {e.Classes}");
    }
}
