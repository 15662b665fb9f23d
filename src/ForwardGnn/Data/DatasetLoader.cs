using ForwardGnn.Data.Formats;

namespace ForwardGnn.Data;

/// <summary>
/// Finds a dataset under the data roots (folder named after the dataset, one of its formats' files inside), reads
/// it, applies <see cref="NormalizeFeatures"/>, and — when a downloader is given and no root has it — downloads the
/// file PyG downloads and checks its counts before using it.
/// </summary>
public sealed class DatasetLoader(DataRoots roots, DatasetDownloader? downloader = null, IProgress<DownloadProgress>? progress = null)
{
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

    /// <summary>A catalogue dataset by name or alias, or a synthetic graph (<c>sbm:…</c>, see <see cref="SyntheticSbm"/>).</summary>
    public GraphDataset Load(string nameOrAlias) => SyntheticSbm.IsSpec(nameOrAlias)
        ? Normalised(SyntheticSbm.Generate(SyntheticSbm.Parse(nameOrAlias)).Check())
        : Load(DatasetCatalog.Find(nameOrAlias));

    public GraphDataset Load(DatasetInfo info)
    {
        (string path, IDatasetFormat format) = Locate(info) ?? Download(info);
        return Normalised(format.Read(info.Name, path).Check());
    }

    private static GraphDataset Normalised(GraphDataset raw) => raw with { Features = NormalizeFeatures.Apply(raw.Features) };

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
            CheckCounts(info, format.Read(info.Name, destination), destination);
        }
        catch
        {
            File.Delete(destination);
            throw;
        }
        return (destination, format);
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
