using ForwardGnn.Data.Npy;
using ForwardGnn.Graphs;

namespace ForwardGnn.Data.Formats;

/// <summary>
/// PyG's <c>github.npz</c>: <c>edges</c> [E, 2] (both directions already), <c>features</c> [N, 128] dense MUSAE
/// embeddings and <c>target</c> [N]. Used as-is, as PyG does (no self-loop removal or symmetrisation).
/// </summary>
internal sealed class GitHubNpzFormat : IDatasetFormat
{
    public IReadOnlyList<string> FileNames { get; } = ["github.npz"];

    public GraphDataset Read(string name, string path)
    {
        using NpzArchive npz = NpzArchive.Open(path);
        NpyArray featureArray = npz.Get("features");
        NpyArray edgeArray = npz.Get("edges");
        NpyArray targetArray = npz.Get("target");
        if (featureArray.Shape.Length != 2 || featureArray.Shape[0] > DefaultFeatures.MaxNodes || featureArray.Shape[1] > int.MaxValue)
            throw new DataFormatException(featureArray.Source, $"must be a matrix [N, F] with N ≤ {DefaultFeatures.MaxNodes:N0}, found shape ({string.Join(", ", featureArray.Shape)})");
        int n = (int)featureArray.Shape[0], f = (int)featureArray.Shape[1];
        int[] labels = targetArray.ToInt32();
        if (labels.Length != n) throw new DataFormatException(targetArray.Source, $"has {labels.Length} labels but features have {n} rows");
        if (edgeArray.Shape.Length != 2 || edgeArray.Shape[1] != 2) throw new DataFormatException(edgeArray.Source, "must be a matrix [E, 2]");

        int[] pairs = edgeArray.ToInt32();
        var source = new int[pairs.Length / 2];
        var target = new int[pairs.Length / 2];
        for (int e = 0; e < source.Length; e++)
        {
            (source[e], target[e]) = (pairs[2 * e], pairs[2 * e + 1]);
            if ((uint)source[e] >= (uint)n || (uint)target[e] >= (uint)n)
                throw new DataFormatException(edgeArray.Source, $"edge {e} ({source[e]}, {target[e]}) is out of range 0..{n - 1}");
        }
        EdgeIndex edges = EdgeIndex.Build(n, source, target, removeSelfLoops: false, symmetrise: false);
        if (!edges.IsUndirected()) throw new DataFormatException(edgeArray.Source, "edges are not undirected");
        CsrMatrix features = CsrMatrix.FromDense(n, f, featureArray.ToFloat32());
        return new GraphDataset(name, features, labels, LabelChecks.CountClasses(labels, targetArray.Source), edges, path);
    }
}
