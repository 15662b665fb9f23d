using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Distributed;
using ForwardGnn.Graphs;
using ForwardGnn.Learning.Forward;

namespace ForwardGnn.Cli.Distributed;

/// <summary>
/// The partition cache beside a distributed SF run: <c>OUT/partitions/K&lt;K&gt;/</c> holds the dataset's labels and shape
/// (<c>dataset.bin</c>: what a rank needs to make the split) and one shard per split and rank
/// (<c>split&lt;S&gt;/rank&lt;R&gt;.shard</c>, <see cref="SingleForwardShard"/>). A preparation step writes it once (shards
/// whose key still matches are kept), and each rank then reads its own shards only, never the whole graph.
/// </summary>
internal static class ShardFolder
{
    private const string Magic = "forwardgnn dataset labels 1";

    /// <summary>The cache folder of a run writing into <paramref name="outDir"/> with <paramref name="parts"/> ranks.</summary>
    public static string For(string outDir, int parts) => Path.GetFullPath(Path.Combine(outDir, "partitions", $"K{parts}"));

    /// <summary>Rank <paramref name="rank"/>'s shard of split <paramref name="split"/>.</summary>
    public static string ShardFile(string folder, int split, int rank) => Path.Combine(folder, $"split{split}", $"rank{rank}.shard");

    /// <summary>Writes whatever of the cache is missing or stale; returns how many shards it wrote.</summary>
    public static int Prepare(string folder, GraphDataset data, IReadOnlyList<NodeSplit> splits, int parts)
    {
        Directory.CreateDirectory(folder);
        WriteLabels(Path.Combine(folder, "dataset.bin"), data);
        int written = 0;
        foreach (NodeSplit split in splits)
        {
            Directory.CreateDirectory(Path.Combine(folder, $"split{split.Index}"));
            int[] stale = Enumerable.Range(0, parts)
                .Where(r => SingleForwardShard.KeyOf(ShardFile(folder, split.Index, r)) != SingleForwardShard.Key(data, split, parts, r)).ToArray();
            if (stale.Length == 0) continue;
            foreach ((int rank, SingleForwardShard shard) in SingleForwardShard.Of(data, split, parts, stale))
            {
                shard.Write(ShardFile(folder, split.Index, rank), SingleForwardShard.Key(data, split, parts, rank));
                written++;
            }
        }
        return written;
    }

    /// <summary>
    /// The dataset as a rank of a sharded run sees it: its name, shape, labels and public split, with no edges and no
    /// stored features (the rank's rows are in its shards).
    /// </summary>
    /// <exception cref="InvalidDataException">The folder holds no such file (run the preparation step).</exception>
    public static GraphDataset ReadLabels(string folder)
    {
        string path = Path.Combine(folder, "dataset.bin");
        using var r = new BinaryReader(new BufferedStream(File.OpenRead(path), 1 << 16));
        if (r.ReadString() != Magic) throw new InvalidDataException($"{path}: not a partition cache's dataset file");
        string name = r.ReadString(), source = r.ReadString();
        int features = r.ReadInt32(), classes = r.ReadInt32();
        int[] labels = Arrays.ReadInts(r);
        NodeSplit? publicSplit = r.ReadBoolean() ? new NodeSplit(r.ReadInt32(), Arrays.ReadInts(r), Arrays.ReadInts(r), Arrays.ReadInts(r), r.ReadString()) : null;
        var empty = new CsrMatrix(labels.Length, features, new int[labels.Length + 1], [], []);
        return new GraphDataset(name, empty, labels, classes, EdgeIndex.Build(labels.Length, [], []), source) { PublicSplit = publicSplit };
    }

    private static void WriteLabels(string path, GraphDataset data)
    {
        string temporary = path + ".tmp";
        using (var w = new BinaryWriter(File.Create(temporary)))
        {
            w.Write(Magic);
            w.Write(data.Name);
            w.Write(data.SourcePath);
            w.Write(data.NumFeatures);
            w.Write(data.NumClasses);
            Arrays.Write(w, data.Labels);
            w.Write(data.PublicSplit is not null);
            if (data.PublicSplit is { } s)
            {
                w.Write(s.Index);
                Arrays.Write(w, s.Train);
                Arrays.Write(w, s.Val);
                Arrays.Write(w, s.Test);
                w.Write(s.Origin);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }
}
