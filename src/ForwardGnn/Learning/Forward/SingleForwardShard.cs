using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Distributed;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// What one rank of distributed SF reads of the data: its part of the augmented graph G′ (real nodes partitioned, the
/// C class nodes replicated: <see cref="PartitionPlan"/>) and its own and halo rows of LN(X), dense [own + halo, F].
/// The class nodes' features are drawn by every rank from the run's seed, so a shard holds nothing random. Built in
/// memory by each rank, or once for every rank by a preparation step that writes one file per rank
/// (<see cref="Write"/>), so that a rank never loads the whole graph or its features.
/// </summary>
internal sealed class SingleForwardShard
{
    private const string Magic = "forwardgnn sf shard 1";

    private Tensor? _read;   // a read shard's rows, straight into layer 1's input [own + halo + C, F] (the class rows still empty)

    /// <param name="plan">The rank's part of G′.</param>
    /// <param name="features">F.</param>
    /// <param name="featureRows">LN(X) rows of the own nodes then the halo nodes, row-major [own + halo, F].</param>
    public SingleForwardShard(PartitionPlan plan, int features, float[] featureRows)
    {
        Plan = plan;
        Features = features;
        FeatureRows = featureRows;
    }

    private SingleForwardShard(PartitionPlan plan, int features, Tensor read)
    {
        Plan = plan;
        Features = features;
        FeatureRows = [];
        _read = read;
    }

    /// <summary>The rank's part of G′.</summary>
    public PartitionPlan Plan { get; }

    /// <summary>F, the feature width.</summary>
    public int Features { get; }

    /// <summary>LN(X) rows of the own nodes then the halo nodes, row-major [own + halo, F] (empty in a shard read from a file).</summary>
    public float[] FeatureRows { get; }

    /// <summary>The shards of <paramref name="ranks"/> (of <paramref name="parts"/>), one at a time, from one partition of the graph.</summary>
    /// <param name="data">The whole dataset.</param>
    /// <param name="split">The node split: its training nodes are linked to their class nodes and balance the partition.</param>
    /// <param name="parts">The number of ranks K.</param>
    /// <param name="ranks">The ranks wanted, ascending.</param>
    public static IEnumerable<(int Rank, SingleForwardShard Shard)> Of(GraphDataset data, NodeSplit split, int parts, IReadOnlyCollection<int> ranks)
    {
        var augmenter = new VirtualNodeAugmenter(data, new float[data.NumClasses * data.NumFeatures]);   // the graph only: its features are never built
        bool[] train = augmenter.Mask(split.Train);
        GraphPartition partition = GraphPartition.Metis(data.Edges, parts, train);
        EdgeIndex graph = augmenter.Augment(data.Labels, train);
        CsrMatrix normalized = RowNorm.Apply(data.Features);
        int[] wanted = [.. ranks.Order()];
        int i = 0;
        foreach (PartitionPlan plan in PartitionPlan.All(graph, data.NumNodes, partition, wanted))
            yield return (wanted[i++], new SingleForwardShard(plan, data.NumFeatures, PartitionView.DenseRows(normalized, [.. plan.Own, .. plan.Halo.Received])));
    }

    /// <summary>
    /// Layer 1's input rows on this rank, [own + halo + C, F]: the stored rows of LN(X), then LN(V) of the class
    /// features V [C, F] (row-major), normalised as the single process normalises X_aug's rows.
    /// </summary>
    /// <remarks>A shard read from a file hands over the tensor it read into (call once).</remarks>
    public Tensor InputRows(float[] classFeatures, int classes, Device device)
    {
        int f = Features;
        var pointer = Enumerable.Range(0, classes + 1).Select(r => r * f).ToArray();
        int[] index = [.. Enumerable.Range(0, classes).SelectMany(_ => Enumerable.Range(0, f))];
        CsrMatrix classRows = RowNorm.Apply(new CsrMatrix(classes, f, pointer, index, classFeatures));
        using Tensor virtualRows = tensor(classRows.Values, [classes, f], device: device);
        if (_read is { } input)
        {
            _read = null;
            using (Tensor tail = input.narrow(0, input.shape[0] - classes, classes)) tail.copy_(virtualRows);
            return input;
        }
        using Tensor real = tensor(FeatureRows, [FeatureRows.Length / Math.Max(f, 1), f], device: device);
        return cat([real, virtualRows]);
    }

    /// <summary>Writes the shard to <paramref name="path"/> (whole or not at all), marked with <paramref name="key"/>.</summary>
    public void Write(string path, string key)
    {
        string temporary = path + ".tmp";
        using (var w = new BinaryWriter(File.Create(temporary)))
        {
            w.Write(Magic);
            w.Write(key);
            Plan.Write(w);
            w.Write(Features);
            Arrays.Write(w, FeatureRows);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The key a shard file was written with, or null when <paramref name="path"/> is missing or not a shard.</summary>
    public static string? KeyOf(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var r = new BinaryReader(File.OpenRead(path));
            return r.ReadString() == Magic ? r.ReadString() : null;
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>Reads a shard <see cref="Write"/> wrote with <paramref name="key"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a shard, or one written for another run.</exception>
    /// <param name="path">The shard file.</param>
    /// <param name="key">What it must have been written for (<see cref="Key"/>).</param>
    /// <param name="classes">C: the feature rows are read into a tensor with C more rows, layer 1's whole input, so
    /// they are held once (<see cref="InputRows"/>).</param>
    /// <param name="device">Where that tensor lives (the CPU).</param>
    public static SingleForwardShard Read(string path, string key, int classes, Device device)
    {
        using var r = new BinaryReader(new BufferedStream(File.OpenRead(path), 1 << 20));
        if (r.ReadString() != Magic) throw new InvalidDataException($"{path}: not an SF shard");
        string found = r.ReadString();
        if (found != key) throw new InvalidDataException($"{path}: written for '{found}', not for '{key}'");
        PartitionPlan plan = PartitionPlan.Read(r);
        int f = r.ReadInt32();
        long stored = r.ReadInt64();
        long rows = f == 0 ? plan.Own.Length + plan.Halo.Received.Length : stored / f;
        if (stored != rows * f || rows != plan.Own.Length + plan.Halo.Received.Length || 4 * (rows + classes) * f > int.MaxValue)
            throw new InvalidDataException($"{path}: {stored} feature values for {plan.Own.Length + plan.Halo.Received.Length} rows of {f} (at most 2 GiB)");
        Tensor input = zeros([rows + classes, f], device: device);
        Span<byte> bytes = input.bytes[..checked((int)(4 * stored))];   // the tensor's own storage: read without a managed copy
        r.BaseStream.ReadExactly(bytes);
        return new SingleForwardShard(plan, f, input);
    }

    /// <summary>
    /// What a shard is for, written into it and checked when it is read: the dataset's name and shape, the training
    /// nodes (a hash), the number of ranks and the rank.
    /// </summary>
    public static string Key(GraphDataset data, NodeSplit split, int parts, int rank)
    {
        ulong hash = 14695981039346656037;   // FNV-1a over the training node ids
        foreach (int node in split.Train)
            for (int b = 0; b < 4; b++) hash = (hash ^ (byte)(node >> (8 * b))) * 1099511628211;
        return $"{data.Name} N={data.NumNodes} F={data.NumFeatures} C={data.NumClasses} train={split.Train.Length}:{hash:x16} K={parts} rank={rank}";
    }
}
