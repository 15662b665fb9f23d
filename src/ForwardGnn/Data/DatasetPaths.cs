using ForwardGnn.Data.Formats;

namespace ForwardGnn.Data;

/// <summary>
/// A dataset given as a path rather than a catalogue name: a <c>.npz</c> file (graph2gauss / gnn-benchmark layout),
/// a folder with <c>edges.csv</c> (<see cref="EdgeListFolderFormat"/>, also when the path names that file), or a
/// folder of Planetoid <c>ind.&lt;name&gt;.*</c> files (<see cref="PlanetoidFormat"/>). The dataset is named after
/// the file (without extension) or folder.
/// </summary>
internal static class DatasetPaths
{
    /// <summary>True when <paramref name="text"/> names an existing file or folder, or looks like a path.</summary>
    public static bool IsPath(string text) =>
        File.Exists(text) || Directory.Exists(text)
        || text.Contains(Path.DirectorySeparatorChar) || text.Contains(Path.AltDirectorySeparatorChar)
        || text.EndsWith(".npz", StringComparison.OrdinalIgnoreCase);

    /// <summary>The file a path's dataset is read from, its format and its name.</summary>
    /// <exception cref="DatasetNotFoundException">Nothing is at the path, or nothing there is a known layout.</exception>
    public static (string File, IDatasetFormat Format, string Name) Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            string file = Path.GetFileName(full);
            if (file.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
                return (full, new Graph2GaussNpzFormat(file), Path.GetFileNameWithoutExtension(file));
            string folderOfFile = Path.GetDirectoryName(full)!;
            if (file is "edges.csv" or "features.csv" or "features.npy" or "labels.csv" || file.StartsWith("ind.", StringComparison.Ordinal))
                return Resolve(folderOfFile);
            throw new DatasetNotFoundException($"{full}: not a dataset file (use a .npz file or a folder with edges.csv or ind.<name>.* files)");
        }
        if (!Directory.Exists(full)) throw new DatasetNotFoundException($"{full}: no such file or folder");
        string name = new DirectoryInfo(full).Name;
        string edges = Path.Combine(full, "edges.csv");
        if (File.Exists(edges)) return (edges, new EdgeListFolderFormat(), name);
        if (PlanetoidFormat.FindPrefix(full) is { } prefix)
            return (Path.Combine(full, $"ind.{prefix}.graph"), new PlanetoidFormat(prefix), name);
        string[] npz = Directory.GetFiles(full, "*.npz");
        if (npz.Length == 1) return Resolve(npz[0]);
        throw new DatasetNotFoundException($"{full}: no edges.csv, ind.<name>.graph or single .npz file in this folder");
    }
}
