using System.Runtime.InteropServices;
using System.Text;

namespace ForwardGnn.Cli.Models;

/// <summary>
/// Writes a 2-D float32 array as a numpy <c>.npy</c> file (format 1.0): the magic, a header dict padded to a multiple
/// of 64 bytes, then the little-endian values in C order. <c>numpy.load</c> reads it.
/// </summary>
internal static class NpyWriter
{
    public static void Write(string path, float[] values, int rows, int columns)
    {
        if ((long)rows * columns != values.Length) throw new ArgumentException("values do not fill the shape");
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}";
        int headerLength = (10 + dict.Length + 1 + 63) / 64 * 64 - 10;
        string header = dict.PadRight(headerLength - 1) + "\n";
        OutputFile.Write(path, stream =>
        {
            stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            stream.Write(BitConverter.GetBytes((ushort)headerLength));
            stream.Write(Encoding.ASCII.GetBytes(header));
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        });
    }
}
