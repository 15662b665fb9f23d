using System.Globalization;
using System.Text.Json;
using ForwardGnn.Graphs;

namespace ForwardGnn.Data.Formats;

/// <summary>
/// The raw MUSAE GitHub release: <c>musae_git_edges.csv</c> (<c>id_1,id_2</c>, each undirected edge once),
/// <c>musae_git_target.csv</c> (<c>id,name,ml_target</c>) and <c>musae_git_features.json</c> (node id → feature ids).
/// Edges are added in both directions; features become a 0/1 bag of the 4005 raw feature ids. PyG's GitHub dataset
/// instead uses 128-dimensional MUSAE embeddings (<see cref="GitHubNpzFormat"/>); accuracy therefore differs.
/// </summary>
internal sealed class MusaeGitHubFormat : IDatasetFormat
{
    public IReadOnlyList<string> FileNames { get; } = ["musae_git_edges.csv"];

    /// <summary>Largest feature id accepted: a bag of more features than this is no MUSAE file, and its first layer alone would not fit.</summary>
    public const int MaxFeatureId = 10_000_000;

    public GraphDataset Read(string name, string path)
    {
        string folder = Path.GetDirectoryName(path)!;
        int[] labels = ReadTargets(Path.Combine(folder, "musae_git_target.csv"));
        int n = labels.Length;
        (int[] source, int[] target) = ReadEdges(path, n);
        CsrMatrix features = ReadFeatures(Path.Combine(folder, "musae_git_features.json"), n);
        int classes = LabelChecks.CountClasses(labels, Path.Combine(folder, "musae_git_target.csv"));
        EdgeIndex edges = EdgeIndex.Build(n, source, target, removeSelfLoops: false, symmetrise: true);
        return new GraphDataset(name, features, labels, classes, edges, path);
    }

    private static string[] ReadLines(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found");
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new DataFormatException(path, "file is empty");
        return lines;
    }

    private static int[] ReadTargets(string path)
    {
        string[] lines = ReadLines(path);
        var labels = new int[lines.Length - 1];
        for (int i = 1; i < lines.Length; i++)
        {
            string[] fields = lines[i].Split(',');
            if (fields.Length < 3 || !int.TryParse(fields[0], out int id) || id != i - 1 || !int.TryParse(fields[^1], out labels[i - 1]))
                throw new DataFormatException(path, $"line {i + 1} is not 'id,name,ml_target' with id {i - 1}");
        }
        return labels;
    }

    private static (int[], int[]) ReadEdges(string path, int n)
    {
        string[] lines = ReadLines(path);
        var source = new int[lines.Length - 1];
        var target = new int[lines.Length - 1];
        for (int i = 1; i < lines.Length; i++)
        {
            int comma = lines[i].IndexOf(',');
            if (comma < 0 || !int.TryParse(lines[i].AsSpan(0, comma), out source[i - 1]) || !int.TryParse(lines[i].AsSpan(comma + 1), out target[i - 1]))
                throw new DataFormatException(path, $"line {i + 1} is not 'id_1,id_2'");
            if ((uint)source[i - 1] >= (uint)n || (uint)target[i - 1] >= (uint)n)
                throw new DataFormatException(path, $"line {i + 1}: node id out of range 0..{n - 1}");
        }
        return (source, target);
    }

    private static CsrMatrix ReadFeatures(string path, int n)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found");
        Dictionary<string, int[]>? byNode;
        try
        {
            using FileStream stream = File.OpenRead(path);
            byNode = JsonSerializer.Deserialize<Dictionary<string, int[]>>(stream);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"not a JSON object of feature-id lists ({EchoedText.Shorten(e.Message, 120)})", e);
        }
        if (byNode is null || byNode.Count != n)
            throw new DataFormatException(path, $"has {byNode?.Count ?? 0} nodes but the target file has {n}");

        var rows = new int[n][];
        long columns = 0;
        for (int i = 0; i < n; i++)
        {
            if (!byNode.TryGetValue(i.ToString(CultureInfo.InvariantCulture), out int[]? ids)) throw new DataFormatException(path, $"node {i} is missing");
            if (ids is null) throw new DataFormatException(path, $"node {i}: its feature list is null, not a list of ids");
            rows[i] = ids.Distinct().Order().ToArray();
            if (rows[i].Length > 0 && rows[i][0] < 0) throw new DataFormatException(path, $"node {i} has a negative feature id");
            if (rows[i].Length > 0) columns = Math.Max(columns, rows[i][^1] + 1L);
        }
        if (columns > MaxFeatureId + 1)
            throw new DataFormatException(path, $"feature id {columns - 1} is too large (ids are 0..{MaxFeatureId}; the file's own run to 4004)");
        var pointer = new int[n + 1];
        for (int i = 0; i < n; i++) pointer[i + 1] = pointer[i] + rows[i].Length;
        int[] index = rows.SelectMany(r => r).ToArray();
        return new CsrMatrix(n, (int)columns, pointer, index, Enumerable.Repeat(1f, index.Length).ToArray());
    }
}
