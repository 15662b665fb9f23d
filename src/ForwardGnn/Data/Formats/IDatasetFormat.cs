namespace ForwardGnn.Data.Formats;

/// <summary>
/// One on-disk dataset layout. A format reads the raw files it knows in a dataset folder and returns the graph as
/// PyG's loader for that layout builds it, before <see cref="NormalizeFeatures"/>.
/// </summary>
public interface IDatasetFormat
{
    /// <summary>File names this format reads, in order of preference; the first one present is used.</summary>
    IReadOnlyList<string> FileNames { get; }

    /// <summary>Reads the dataset from <paramref name="path"/>, one of <see cref="FileNames"/> inside a folder.</summary>
    GraphDataset Read(string name, string path);
}
