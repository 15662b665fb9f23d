using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace ForwardGnn.Data.Npy;

/// <summary>
/// Parses the <c>.npy</c> format, versions 1.0 to 3.0: magic <c>\x93NUMPY</c>, version, header length (2 bytes in
/// v1, 4 in v2/v3), a Python-literal dict header (<c>descr</c>, <c>fortran_order</c>, <c>shape</c>), then the data.
/// Object (pickled) arrays are refused: numpy itself needs <c>allow_pickle</c> for them.
/// </summary>
internal static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Parses one array. <paramref name="source"/> names it in error messages.</summary>
    public static NpyArray Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw new DataFormatException(source, "not an .npy array (bad magic bytes)");
        int major = bytes[6];
        (int lengthBytes, Encoding encoding) = major switch
        {
            1 => (2, Encoding.Latin1),
            2 => (4, Encoding.Latin1),
            3 => (4, Encoding.UTF8),
            _ => throw new DataFormatException(source, $"unsupported .npy format version {major}.{bytes[7]}"),
        };
        int headerStart = 8 + lengthBytes;
        if (bytes.Length < headerStart) throw new DataFormatException(source, "truncated .npy header");
        long headerLength = lengthBytes == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8))
            : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (headerStart + headerLength > bytes.Length) throw new DataFormatException(source, "truncated .npy header");

        string header = encoding.GetString(bytes, headerStart, (int)headerLength);
        (NpyDType dtype, bool fortran, long[] shape) = ParseHeader(header, source);

        long expected = DataBytes(shape, dtype, source);
        long dataStart = headerStart + headerLength;
        long available = bytes.Length - dataStart;
        if (available != expected)
            throw new DataFormatException(source,
                $"shape ({EchoedText.Shorten(string.Join(", ", shape))}) of {dtype.Descr} needs {expected} data bytes but the array holds {available}");

        byte[] data = bytes.AsSpan((int)dataStart).ToArray();
        if (fortran && shape.Length > 1) data = FortranToC(data, shape, dtype.ItemSize);
        return new NpyArray(source, dtype, shape, data);
    }

    /// <summary>The bytes the shape needs; a product that overflows is a malformed header, not an exception.</summary>
    private static long DataBytes(long[] shape, NpyDType dtype, string source)
    {
        try
        {
            long count = 1;
            foreach (long d in shape) count = checked(count * d);
            return checked(count * dtype.ItemSize);
        }
        catch (OverflowException)
        {
            throw new DataFormatException(source, $"shape ({EchoedText.Shorten(string.Join(", ", shape), 80)}) of {dtype.Descr} has more elements than any file can hold");
        }
    }

    private static (NpyDType, bool, long[]) ParseHeader(string header, string source)
    {
        Match descr = DescrPattern().Match(header);
        Match order = FortranPattern().Match(header);
        Match shape = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shape.Success)
            throw new DataFormatException(source, $"malformed .npy header '{EchoedText.Shorten(header.Trim(), 100)}'");

        string descrText = descr.Groups[1].Value;
        NpyDType dtype = NpyDType.TryParse(descrText)
            ?? throw new DataFormatException(source, $"unsupported dtype '{EchoedText.Shorten(descrText, 40)}' (supported: little-endian b1, u1, i1, i4, i8, f4, f8, U)");
        if (dtype.Kind == NpyKind.Object)
            throw new DataFormatException(source, "array holds pickled Python objects (dtype |O), which cannot be read safely");

        long[] dims = shape.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.TryParse(d.TrimEnd('L'), out long v) && v >= 0
                ? v
                : throw new DataFormatException(source, $"bad dimension '{EchoedText.Shorten(d, 40)}' in shape (dimensions are non-negative integers)"))
            .ToArray();
        return (dtype, order.Groups[1].Value == "True", dims);
    }

    /// <summary>Reorders a column-major array's bytes into row-major order.</summary>
    private static byte[] FortranToC(byte[] data, long[] shape, int itemSize)
    {
        int rank = shape.Length;
        long count = data.Length / itemSize;
        var result = new byte[data.Length];
        var index = new long[rank];
        for (long c = 0; c < count; c++)
        {
            long fortranOffset = 0, stride = 1;
            for (int d = 0; d < rank; d++) { fortranOffset += index[d] * stride; stride *= shape[d]; }
            Buffer.BlockCopy(data, (int)(fortranOffset * itemSize), result, (int)(c * itemSize), itemSize);
            for (int d = rank - 1; d >= 0 && ++index[d] == shape[d]; d--) index[d] = 0;
        }
        return result;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
