using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace ForwardGnn.Tests.Support;

/// <summary>Writes .npy arrays and .npz archives for tests, including deliberately broken ones.</summary>
internal sealed class NpzBuilder
{
    private readonly List<(string Name, byte[] Bytes)> _members = [];

    public static byte[] Npy(string descr, long[] shape, byte[] data, bool fortran = false, int version = 1)
    {
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string header = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': ({dims}), }}";
        int prefix = version == 1 ? 10 : 12;
        int padded = (prefix + header.Length + 1 + 63) / 64 * 64;
        header = header.PadRight(padded - prefix - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0 };
        if (version == 1) bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    public static byte[] Bytes<T>(params T[] values) where T : struct => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public NpzBuilder Add(string key, string descr, long[] shape, byte[] data)
    {
        _members.Add((key + ".npy", Npy(descr, shape, data)));
        return this;
    }

    public NpzBuilder AddInt32(string key, params int[] values) => Add(key, "<i4", [values.Length], Bytes(values));
    public NpzBuilder AddInt64(string key, params long[] values) => Add(key, "<i8", [values.Length], Bytes(values));
    public NpzBuilder AddFloat32(string key, params float[] values) => Add(key, "<f4", [values.Length], Bytes(values));

    public NpzBuilder Remove(string key)
    {
        _members.RemoveAll(m => m.Name == key + ".npy");
        return this;
    }

    public NpzBuilder Replace(string key, string descr, long[] shape, byte[] data) => Remove(key).Add(key, descr, shape, data);

    public void Write(string path, CompressionLevel level = CompressionLevel.NoCompression)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach ((string name, byte[] bytes) in _members)
        {
            using Stream s = zip.CreateEntry(name, level).Open();
            s.Write(bytes);
        }
    }

    /// <summary>
    /// A 5-node graph2gauss-style graph: edges 0→1, 1→0 (duplicate after symmetrising), 1→2, 2→4, 3→3 (self-loop);
    /// node 3 is isolated after self-loop removal. Features 5×4 with TF-IDF-like values. Labels 0,1,2,1,0.
    /// </summary>
    public static NpzBuilder SmallGraph() => new NpzBuilder()
        .AddFloat32("adj_data", 1, 1, 1, 1, 1)
        .AddInt32("adj_indices", 1, 0, 2, 4, 3)
        .AddInt32("adj_indptr", 0, 1, 3, 4, 5, 5)
        .AddInt64("adj_shape", 5, 5)
        .AddFloat32("attr_data", 0.5f, 0.25f, 2f, 0.1f, 3f, 0.7f)
        .AddInt32("attr_indices", 0, 3, 1, 2, 3, 0)
        .AddInt32("attr_indptr", 0, 2, 3, 5, 5, 6)
        .AddInt64("attr_shape", 5, 4)
        .AddInt64("labels", 0, 1, 2, 1, 0);
}
