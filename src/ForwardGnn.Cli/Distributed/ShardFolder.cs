using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Distributed;
using ForwardGnn.Graphs;
using ForwardGnn.Learning.Backprop;
using ForwardGnn.Learning.Forward;

namespace ForwardGnn.Cli.Distributed;

/// <summary>
/// The partition cache beside a distributed SF or BP run: <c>OUT/partitions/K&lt;K&gt;/</c> holds the dataset's labels and
/// shape (<c>dataset.bin</c>: what a rank needs to make the split) and one shard per split and rank
/// (<c>split&lt;S&gt;/rank&lt;R&gt;.shard</c>, a <see cref="RankShard"/>: <see cref="SingleForwardShard"/> for SF,
/// <see cref="BackpropShard"/> for BP). A preparation step writes it once (shards
/// whose key still matches are kept), and each rank then reads its own shards only, never the whole graph.
/// </summary>
internal static class ShardFolder
{
    private const string Magic = "forwardgnn dataset labels 1";

    /// <summary>The cache folder of a run writing into <paramref name="outDir"/> with <paramref name="parts"/> ranks.</summary>
    public static string For(string outDir, int parts) => Path.GetFullPath(Path.Combine(outDir, "partitions", $"K{parts}"));

    /// <summary>Rank <paramref name="rank"/>'s shard of split <paramref name="split"/>.</summary>
    public static string ShardFile(string folder, int split, int rank) => Path.Combine(folder, $"split{split}", $"rank{rank}.shard");

    /// <summary>Writes whatever of the cache of <paramref name="algo"/> (sf or bp) is missing or stale; returns how many shards it wrote.</summary>
    public static int Prepare(string folder, GraphDataset data, IReadOnlyList<NodeSplit> splits, int parts, string algo)
    {
        (string kind, Func<NodeSplit, int[], IEnumerable<(int, RankShard)>> shards) = algo switch
        {
            "sf" => (SingleForwardShard.Kind, (Func<NodeSplit, int[], IEnumerable<(int, RankShard)>>)((s, r) => SingleForwardShard.Of(data, s, parts, r))),
            "bp" => (BackpropShard.Kind, (s, r) => BackpropShard.Of(data, s, parts, r)),
            _ => throw new ArgumentException($"no partition cache for {algo}", nameof(algo)),
        };
        Directory.CreateDirectory(folder);
        WriteLabels(Path.Combine(folder, "dataset.bin"), data);
        int written = 0;
        foreach (NodeSplit split in splits)
        {
            Directory.CreateDirectory(Path.Combine(folder, $"split{split.Index}"));
            int[] stale = Enumerable.Range(0, parts)
                .Where(r => RankShard.KeyOf(ShardFile(folder, split.Index, r)) != RankShard.Key(kind, data, split, parts, r)).ToArray();
            if (stale.Length == 0) continue;
            foreach ((int rank, RankShard shard) in shards(split, stale))
            {
                shard.Write(ShardFile(folder, split.Index, rank), RankShard.Key(kind, data, split, parts, rank));
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
