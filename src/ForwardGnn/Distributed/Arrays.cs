using System.Runtime.InteropServices;

namespace ForwardGnn.Distributed;

/// <summary>Arrays of primitives in a binary stream: a 64-bit length, then the elements as they lie in memory (little-endian hosts).</summary>
internal static class Arrays
{
    /// <summary>Writes <paramref name="values"/>.</summary>
    public static void Write<T>(BinaryWriter w, T[] values) where T : unmanaged
    {
        w.Write((long)values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>Reads an array <see cref="Write{T}"/> wrote.</summary>
    public static T[] Read<T>(BinaryReader r) where T : unmanaged
    {
        long length = r.ReadInt64();
        if (length < 0 || length > Array.MaxLength) throw new InvalidDataException($"an array of {length} elements");
        var values = new T[length];
        Span<byte> bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (r.BaseStream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) != bytes.Length)
            throw new InvalidDataException("the file ends inside an array");
        return values;
    }

    /// <summary><see cref="Read{T}"/> of ints.</summary>
    public static int[] ReadInts(BinaryReader r) => Read<int>(r);

    /// <summary><see cref="Read{T}"/> of longs.</summary>
    public static long[] ReadLongs(BinaryReader r) => Read<long>(r);
}
