using System.Buffers.Binary;
using System.IO.Compression;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Fuzz;

/// <summary>
/// Mutates .npz files where they are structured: the zip's directory fields (sizes, offsets, name and extra lengths,
/// methods, entry counts, in the central directory, the local headers and the end record), the members' names, and
/// the members' arrays (each replaced by one of another dtype, length or boundary values, or by a mutated .npy).
/// </summary>
internal sealed class NpzMutator
{
    private readonly Func<List<(string, string, long[])>> _clean;

    /// <param name="clean">Makes the valid archive's members: key, dtype and values.</param>
    public NpzMutator(Func<List<(string Key, string Descr, long[] Values)>> clean) => _clean = clean;

    /// <summary>Cora-shaped graph2gauss arrays (the small graph of <see cref="NpzBuilder.SmallGraph"/>).</summary>
    public static List<(string, string, long[])> Graph2Gauss() =>
    [
        ("adj_data", "<f4", [1, 1, 1, 1, 1]), ("adj_indices", "<i4", [1, 0, 2, 4, 3]), ("adj_indptr", "<i4", [0, 1, 3, 4, 5, 5]),
        ("adj_shape", "<i8", [5, 5]), ("attr_data", "<f4", [1, 2, 3, 1, 3, 1]), ("attr_indices", "<i4", [0, 3, 1, 2, 3, 0]),
        ("attr_indptr", "<i4", [0, 2, 3, 5, 5, 6]), ("attr_shape", "<i8", [5, 4]), ("labels", "<i8", [0, 1, 2, 1, 0]),
    ];

    /// <summary>PyG's github.npz layout: features [N, F], edges [E, 2] (both directions), target [N].</summary>
    public static List<(string, string, long[])> GitHub() =>
    [
        ("features", "<f4", [1, 0, 0, 1, 1, 1, 0, 0]), ("edges", "<i8", [0, 1, 1, 0, 2, 3, 3, 2]), ("target", "<i8", [0, 1, 0, 1]),
    ];

    private static long[] ShapeOf(string key, long[] values) => key switch
    {
        "features" => [4, values.Length / 4],
        "edges" => [values.Length / 2, 2],
        _ => [values.Length],
    };

    public byte[] Next(Random rng, string scratch)
    {
        var members = _clean().Select(m => (Key: m.Item1, Descr: m.Item2, Values: m.Item3, Raw: (byte[]?)null)).ToList();
        int edits = rng.Next(1, 3);
        for (int e = 0; e < edits; e++)
        {
            int i = rng.Next(members.Count);
            var m = members[i];
            switch (rng.Next(6))
            {
                case 0:   // another dtype
                    m.Descr = rng.Pick(["<i4", "<i8", "<f4", "<f8", "|u1"]);
                    break;
                case 1:   // boundary values in place
                    m.Values = (long[])m.Values.Clone();
                    for (int k = rng.Next(1, 3); k > 0 && m.Values.Length > 0; k--) m.Values[rng.Next(m.Values.Length)] = Boundary.Integer(rng);
                    break;
                case 2:   // another length
                    m.Values = [.. m.Values.Take(rng.Next(m.Values.Length + 1)), .. Enumerable.Range(0, rng.Next(3)).Select(_ => Boundary.Integer(rng))];
                    break;
                case 3:   // a mutated .npy
                    m.Raw = NpyMutator.Random(rng);
                    break;
                case 4:   // renamed or dropped
                    if (rng.Next(2) == 0) m.Key = rng.Pick(members).Key;
                    else { members.RemoveAt(i); continue; }
                    break;
                default:  // a float where an integer belongs, or the reverse
                    m.Descr = m.Descr.Contains('f') ? "<i8" : "<f8";
                    break;
            }
            members[i] = m;
        }
        string path = Path.Combine(scratch, "m.npz");
        File.Delete(path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            foreach (var m in members)
            {
                using Stream s = zip.CreateEntry(m.Key + ".npy", rng.Next(2) == 0 ? CompressionLevel.NoCompression : CompressionLevel.Fastest).Open();
                s.Write(m.Raw ?? NpyMutator.Of(m.Descr, ShapeOf(m.Key, m.Values), m.Values));
            }
        byte[] bytes = File.ReadAllBytes(path);
        if (rng.Next(2) == 0) MutateDirectory(bytes, rng);
        return rng.Next(12) == 0 ? Boundary.Damage(bytes, rng) : bytes;
    }

    /// <summary>Sets one to three fields of the zip's headers to boundary values.</summary>
    private static void MutateDirectory(byte[] zip, Random rng)
    {
        List<(int At, int Width)> fields = Fields(zip);
        if (fields.Count == 0) return;
        for (int k = rng.Next(1, 4); k > 0; k--)
        {
            (int at, int width) = rng.Pick(fields);
            long value = rng.Next(3) switch
            {
                0 => Boundary.Integer(rng),
                1 => (width == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at))) + rng.Next(-2, 3),
                _ => rng.Next(0, 1 << 16),
            };
            if (width == 2) BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(at), unchecked((ushort)value));
            else BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(at), unchecked((uint)value));
        }
    }

    /// <summary>Every size, offset, length, method and count field of the local headers, central directory and end record.</summary>
    private static List<(int, int)> Fields(byte[] zip)
    {
        var fields = new List<(int, int)>();
        for (int i = 0; i + 22 <= zip.Length; i++)
        {
            switch (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)))
            {
                case 0x04034b50 when i + 30 <= zip.Length:
                    fields.AddRange([(i + 8, 2), (i + 14, 4), (i + 18, 4), (i + 22, 4), (i + 26, 2), (i + 28, 2)]);
                    break;
                case 0x02014b50 when i + 46 <= zip.Length:
                    fields.AddRange([(i + 10, 2), (i + 16, 4), (i + 20, 4), (i + 24, 4), (i + 28, 2), (i + 30, 2), (i + 32, 2), (i + 34, 2), (i + 42, 4)]);
                    break;
                case 0x06054b50:
                    fields.AddRange([(i + 4, 2), (i + 8, 2), (i + 10, 2), (i + 12, 4), (i + 16, 4), (i + 20, 2)]);
                    break;
            }
        }
        return fields;
    }
}
