using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ForwardGnn.Data.Npy;

/// <summary>
/// One numpy array read from an <c>.npy</c> file or <c>.npz</c> member: its dtype, its shape and its raw
/// little-endian bytes, always in C (row-major) order (Fortran-order files are reordered when read).
/// </summary>
internal sealed class NpyArray
{
    internal NpyArray(string source, NpyDType dtype, long[] shape, byte[] data)
    {
        Source = source;
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    /// <summary>Where the array came from, for error messages (<c>file.npz:member.npy</c>).</summary>
    public string Source { get; }

    public NpyDType DType { get; }

    public long[] Shape { get; }

    /// <summary>Raw element bytes in C order.</summary>
    public byte[] Data { get; }

    /// <summary>Number of elements (product of the shape; 1 for a scalar).</summary>
    public long Length => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Every element as a 32-bit integer; refuses values that do not fit.</summary>
    public int[] ToInt32()
    {
        Budget(sizeof(int));
        if (DType.Kind == NpyKind.Int32) return MemoryMarshal.Cast<byte, int>(Data).ToArray();
        var result = new int[Length];
        for (int i = 0; i < result.Length; i++)
        {
            double value = ElementAsDouble(i);
            if (value != Math.Floor(value) || value < int.MinValue || value > int.MaxValue)
                throw new DataFormatException(Source, $"value {value} at position {i} is not a 32-bit integer");
            result[i] = (int)value;
        }
        return result;
    }

    /// <summary>Every element as a 64-bit integer.</summary>
    public long[] ToInt64()
    {
        Budget(sizeof(long));
        if (DType.Kind == NpyKind.Int64) return MemoryMarshal.Cast<byte, long>(Data).ToArray();
        var result = new long[Length];
        for (int i = 0; i < result.Length; i++)
        {
            double value = ElementAsDouble(i);
            if (value != Math.Floor(value) || value < long.MinValue || value >= 9.2233720368547758E18)
                throw new DataFormatException(Source, $"value {value} at position {i} is not a 64-bit integer");
            result[i] = (long)value;
        }
        return result;
    }

    /// <summary>Every element as a 32-bit float.</summary>
    public float[] ToFloat32()
    {
        Budget(sizeof(float));
        if (DType.Kind == NpyKind.Float32) return MemoryMarshal.Cast<byte, float>(Data).ToArray();
        var result = new float[Length];
        for (int i = 0; i < result.Length; i++) result[i] = (float)ElementAsDouble(i);
        return result;
    }

    /// <summary>Refuses a conversion whose result (<see cref="Length"/> elements of <paramref name="itemSize"/> bytes) exceeds the memory budget.</summary>
    private void Budget(int itemSize)
    {
        if (Length > Array.MaxLength) throw new DataFormatException(Source, $"{Length} elements are more than one array can hold");
        MemoryBudget.Require((double)Length * itemSize, Source, $"converting its {Length:N0} elements");
    }

    private double ElementAsDouble(int i)
    {
        ReadOnlySpan<byte> d = Data;
        return DType.Kind switch
        {
            NpyKind.Bool or NpyKind.UInt8 => d[i],
            NpyKind.Int8 => (sbyte)d[i],
            NpyKind.Int32 => BinaryPrimitives.ReadInt32LittleEndian(d[(4 * i)..]),
            NpyKind.Int64 => BinaryPrimitives.ReadInt64LittleEndian(d[(8 * i)..]),
            NpyKind.Float32 => BinaryPrimitives.ReadSingleLittleEndian(d[(4 * i)..]),
            NpyKind.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(d[(8 * i)..]),
            _ => throw new DataFormatException(Source, $"dtype {DType.Descr} holds no numbers"),
        };
    }
}
