using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using static TorchSharp.torch;

namespace ForwardGnn.Distributed;

/// <summary>
/// What one rank of a distributed run reads of a split's data: its part of the graph (<see cref="PartitionPlan"/>) and
/// its own and halo rows of the layer-1 features, dense and row-major [own + halo, F]. Built in memory by each rank, or
/// once for every rank by a preparation step that writes one file per rank (<see cref="Write"/>), so that a rank never
/// loads the whole graph or its features. What the plan and the rows are (which graph, which features) is the
/// algorithm's; the file's key names it.
/// </summary>
internal sealed class RankShard
{
    private const string Magic = "forwardgnn rank shard 2";

    private Tensor? _read;   // a read shard's rows, straight into layer 1's input [own + halo + extra, F] (the extra rows zero)

    /// <param name="plan">The rank's part of the graph.</param>
    /// <param name="features">F.</param>
    /// <param name="featureRows">Feature rows of the own nodes then the halo nodes, row-major [own + halo, F].</param>
    public RankShard(PartitionPlan plan, int features, float[] featureRows)
    {
        Plan = plan;
        Features = features;
        FeatureRows = featureRows;
    }

    private RankShard(PartitionPlan plan, int features, Tensor read)
    {
        Plan = plan;
        Features = features;
        FeatureRows = [];
        _read = read;
    }

    /// <summary>The rank's part of the graph.</summary>
    public PartitionPlan Plan { get; }

    /// <summary>F, the feature width.</summary>
    public int Features { get; }

    /// <summary>Feature rows of the own nodes then the halo nodes, row-major [own + halo, F] (empty in a shard read from a file).</summary>
    public float[] FeatureRows { get; }

    /// <summary>
    /// Layer 1's input rows, [own + halo + <paramref name="extra"/>, F]: the stored rows, then <paramref name="extra"/>
    /// zero rows for the caller to fill (SF's class nodes).
    /// </summary>
    /// <remarks>A shard read from a file hands over the tensor it read into (call once).</remarks>
    public Tensor InputRows(int extra, Device device)
    {
        if (_read is { } input)
        {
            if (input.shape[0] != Plan.Own.Length + Plan.Halo.Received.Length + extra)
                throw new ArgumentException($"the shard was read with room for {input.shape[0] - Plan.Own.Length - Plan.Halo.Received.Length} extra rows, not {extra}");
            _read = null;
            return input;
        }
        int f = Features;
        long rows = Plan.Own.Length + Plan.Halo.Received.Length;
        if (extra == 0) return tensor(FeatureRows, [rows, f], device: device);
        using Tensor real = tensor(FeatureRows, [rows, f], device: device);
        using Tensor zero = zeros([extra, f], device: device);
        return cat([real, zero]);
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
    /// <param name="extra">The feature rows are read into a tensor with this many more (zero) rows, layer 1's whole
    /// input, so they are held once (<see cref="InputRows"/>).</param>
    /// <param name="device">Where that tensor lives (the CPU).</param>
    public static RankShard Read(string path, string key, int extra, Device device)
    {
        using var r = new BinaryReader(new BufferedStream(File.OpenRead(path), 1 << 20));
        if (r.ReadString() != Magic) throw new InvalidDataException($"{path}: not a rank's shard");
        string found = r.ReadString();
        if (found != key) throw new InvalidDataException($"{path}: written for '{found}', not for '{key}'");
        PartitionPlan plan = PartitionPlan.Read(r);
        int f = r.ReadInt32();
        long stored = r.ReadInt64();
        long rows = f == 0 ? plan.Own.Length + plan.Halo.Received.Length : stored / f;
        if (stored != rows * f || rows != plan.Own.Length + plan.Halo.Received.Length || 4 * (rows + extra) * f > int.MaxValue)
            throw new InvalidDataException($"{path}: {stored} feature values for {plan.Own.Length + plan.Halo.Received.Length} rows of {f} (at most 2 GiB)");
        Tensor input = zeros([rows + extra, f], device: device);
        Span<byte> bytes = input.bytes[..checked((int)(4 * stored))];   // the tensor's own storage: read without a managed copy
        r.BaseStream.ReadExactly(bytes);
        return new RankShard(plan, f, input);
    }

    /// <summary>
    /// What a shard is for, written into it and checked when it is read: the algorithm's name for what it holds
    /// (<paramref name="kind"/>), the dataset's name and shape, the training nodes (a hash), the number of ranks and the rank.
    /// </summary>
    public static string Key(string kind, GraphDataset data, NodeSplit split, int parts, int rank)
    {
        ulong hash = 14695981039346656037;   // FNV-1a over the training node ids
        foreach (int node in split.Train)
            for (int b = 0; b < 4; b++) hash = (hash ^ (byte)(node >> (8 * b))) * 1099511628211;
        return $"{kind} {data.Name} N={data.NumNodes} F={data.NumFeatures} C={data.NumClasses} train={split.Train.Length}:{hash:x16} K={parts} rank={rank}";
    }
}
