using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using ForwardGnn.Data;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>
/// The safetensors format (what PyTorch's <c>safetensors</c> package reads): an 8-byte little-endian header length n,
/// n bytes of JSON <c>{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}</c> padded with
/// spaces to a multiple of 8, then the tensors' bytes, little-endian, row-major. Only float32 tensors are written and read.
/// </summary>
internal static class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100 << 20;

    /// <summary>
    /// The JSON header of float32 tensors stored one after another in the given order: each name with its dtype, shape
    /// and byte range in the data that follows.
    /// </summary>
    internal static byte[] Header(IEnumerable<(string Name, long[] Shape, long Count)> tensors)
    {
        var header = new Dictionary<string, object>();
        long offset = 0;
        foreach ((string name, long[] shape, long count) in tensors)
        {
            long bytes = 4L * count;
            header[name] = new { dtype = "F32", shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
    }

    /// <summary>Writes the tensors (copied to the CPU) in the given order.</summary>
    public static void Write(Stream stream, IEnumerable<(string Name, Tensor Value)> tensors)
    {
        var entries = new List<(string Name, long[] Shape, float[] Data)>();
        foreach ((string name, Tensor value) in tensors)
        {
            using Tensor host = value.detach().cpu().contiguous();
            if (host.dtype != ScalarType.Float32) throw new ArgumentException($"tensor {name} is {host.dtype}; only float32 is stored");
            entries.Add((name, host.shape, host.data<float>().ToArray()));
        }
        byte[] json = Header(entries.Select(e => (e.Name, e.Shape, (long)e.Data.Length)));
        int padded = (json.Length + 7) / 8 * 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach ((_, _, float[] data) in entries) stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
    }

    /// <summary>Reads every tensor of the file; a malformed file is a <see cref="DataFormatException"/> naming it.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        byte[] file = BoundedFile.ReadAllBytes(path);
        if (file.Length < 8) throw new DataFormatException(path, "is too short to be a safetensors file");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)Math.Min(file.Length - 8, MaxHeaderBytes))
            throw new DataFormatException(path, $"declares a {headerLength}-byte header in a {file.Length}-byte file");
        int dataStart = 8 + (int)headerLength;
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            using var header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
            foreach (JsonProperty entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                tensors[entry.Name] = ReadTensor(path, entry, file, dataStart);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            foreach (Tensor t in tensors.Values) t.Dispose();
            throw new DataFormatException(path, $"has a malformed header ({e.Message})");
        }
        return tensors;
    }

    private static Tensor ReadTensor(string path, JsonProperty entry, byte[] file, int dataStart)
    {
        JsonElement value = entry.Value;
        string? dtype = value.GetProperty("dtype").GetString();
        if (dtype != "F32") throw new DataFormatException(path, $"tensor {entry.Name} is {dtype}; only F32 is read");
        long[] shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        long[] offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0 || d > int.MaxValue) throw new DataFormatException(path, $"tensor {entry.Name} has dimension {d}");
            count = checked(count * d);
        }
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] - offsets[0] != 4 * count || dataStart + offsets[1] > file.Length)
            throw new DataFormatException(path, $"tensor {entry.Name}'s data offsets do not fit its shape or the file");
        float[] data = MemoryMarshal.Cast<byte, float>(file.AsSpan(dataStart + (int)offsets[0], (int)(4 * count))).ToArray();
        return tensor(data, shape);
    }
}
