using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ForwardGnn.Tests.Fuzz;

/// <summary>
/// Builds .npy files from their parts (version, header length, <c>descr</c>, <c>fortran_order</c>, <c>shape</c>, data)
/// with each part drawn from valid and hostile values: shapes whose product overflows, dimensions stored as floats,
/// NaN or 1e300, dtypes that are unsupported or big-endian, header lengths that lie, data one byte short or long.
/// </summary>
internal static class NpyMutator
{
    private static readonly string[] Descrs = ["<f4", "<f8", "<i4", "<i8", "|b1", "|u1", "|i1", ">f4", ">i8", "<c8", "|O", "<U5", "<f2", "<u8", "", "'", "<i4'"];
    private static readonly int[] ItemSizes = [4, 8, 4, 8, 1, 1, 1, 4, 8, 8, 8, 20, 2, 8, 1, 1, 4];

    public static byte[] Random(Random rng)
    {
        int d = rng.Next(Descrs.Length);
        string descr = Descrs[d];
        int rank = rng.Next(0, 4);
        var dims = new string[rank];
        long product = 1;
        bool exact = true;
        for (int i = 0; i < rank; i++)
        {
            if (rng.Next(3) == 0)
            {
                dims[i] = Boundary.NumberText(rng);
                exact = false;
            }
            else
            {
                long v = rng.Next(0, 6);
                dims[i] = v.ToString(CultureInfo.InvariantCulture);
                product *= v;
            }
        }
        string shape = rank == 1 ? dims[0] + "," : string.Join(", ", dims);
        string fortran = rng.Next(10) switch { 0 => "Maybe", 1 or 2 or 3 => "True", _ => "False" };
        string header = rng.Next(20) == 0
            ? "{'descr': '" + descr + "', 'shape': (" + shape + ")}"   // a key missing
            : "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': (" + shape + "), }";
        long dataLength = exact ? product * ItemSizes[d] : rng.Next(0, 64);
        if (rng.Next(4) == 0) dataLength += rng.Next(-1, 2);
        return Assemble(rng, header, (int)Math.Clamp(dataLength, 0, 1 << 16));
    }

    /// <summary>A valid array of <paramref name="descr"/> with <paramref name="values"/> (cast) as its data.</summary>
    public static byte[] Of(string descr, long[] shape, IReadOnlyList<long> values)
    {
        var data = new List<byte>();
        foreach (long v in values)
            data.AddRange(descr switch
            {
                "<i4" => BitConverter.GetBytes(unchecked((int)v)),
                "<f4" => BitConverter.GetBytes((float)v),
                "<f8" => BitConverter.GetBytes((double)v),
                "|u1" => [unchecked((byte)v)],
                _ => BitConverter.GetBytes(v),
            });
        return Support.NpzBuilder.Npy(descr, shape, [.. data]);
    }

    private static byte[] Assemble(Random rng, string header, int dataLength)
    {
        int version = rng.Next(12) switch { 0 => 2, 1 => 3, 2 => rng.Next(0, 256), _ => 1 };
        int prefix = version == 1 ? 10 : 12;
        header = header.PadRight((prefix + header.Length + 1 + 63) / 64 * 64 - prefix - 1) + "\n";
        byte[] text = Encoding.Latin1.GetBytes(header);
        var bytes = new byte[prefix + text.Length + dataLength];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = (byte)version;
        long declared = rng.Next(8) == 0 ? Boundary.Integer(rng) : text.Length;
        if (prefix == 10) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), unchecked((ushort)declared));
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), unchecked((uint)declared));
        text.CopyTo(bytes, prefix);
        rng.NextBytes(bytes.AsSpan(prefix + text.Length));
        return rng.Next(10) == 0 ? Boundary.Damage(bytes, rng) : bytes;
    }
}
