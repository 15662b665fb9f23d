using ForwardGnn.Data;
using ForwardGnn.Data.Npy;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Data.Npy;

public class NpyReaderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadsEveryHeaderVersion(int version)
    {
        NpyArray a = NpyReader.Parse(NpzBuilder.Npy("<i4", [3], NpzBuilder.Bytes(4, -5, 6), version: version), "x.npy");
        Assert.Equal([4, -5, 6], a.ToInt32());
        Assert.Equal([3L], a.Shape);
    }

    [Fact]
    public void ConvertsEverySupportedDtype()
    {
        Assert.Equal([1, 0, 1], NpyReader.Parse(NpzBuilder.Npy("|b1", [3], [1, 0, 1]), "b").ToInt32());
        Assert.Equal([255, 7], NpyReader.Parse(NpzBuilder.Npy("|u1", [2], [255, 7]), "u").ToInt32());
        Assert.Equal([-1, 7], NpyReader.Parse(NpzBuilder.Npy("|i1", [2], [255, 7]), "i1").ToInt32());
        Assert.Equal([1L << 40, -2], NpyReader.Parse(NpzBuilder.Npy("<i8", [2], NpzBuilder.Bytes(1L << 40, -2L)), "i8").ToInt64());
        Assert.Equal([1.5f, -2f], NpyReader.Parse(NpzBuilder.Npy("<f4", [2], NpzBuilder.Bytes(1.5f, -2f)), "f4").ToFloat32());
        Assert.Equal([0.25f, 3f], NpyReader.Parse(NpzBuilder.Npy("<f8", [2], NpzBuilder.Bytes(0.25, 3.0)), "f8").ToFloat32());
        Assert.Equal([3, 9], NpyReader.Parse(NpzBuilder.Npy("<i8", [2], NpzBuilder.Bytes(3L, 9L)), "i8").ToInt32());
    }

    [Fact]
    public void ReordersFortranArraysToRowMajor()
    {
        // The 2×3 matrix [[1,2,3],[4,5,6]] stored column by column.
        NpyArray a = NpyReader.Parse(NpzBuilder.Npy("<i4", [2, 3], NpzBuilder.Bytes(1, 4, 2, 5, 3, 6), fortran: true), "f.npy");
        Assert.Equal([1, 2, 3, 4, 5, 6], a.ToInt32());
    }

    [Fact]
    public void RefusesUnknownDtype()
    {
        var e = Assert.Throws<DataFormatException>(() => NpyReader.Parse(NpzBuilder.Npy("<c8", [1], new byte[8]), "a.npz:x.npy"));
        Assert.Equal("a.npz:x.npy", e.File);
        Assert.Contains("unsupported dtype '<c8'", e.Message);
    }

    [Fact]
    public void RefusesBigEndianData()
    {
        var e = Assert.Throws<DataFormatException>(() => NpyReader.Parse(NpzBuilder.Npy(">i4", [1], new byte[4]), "x.npy"));
        Assert.Contains("unsupported dtype", e.Message);
    }

    [Fact]
    public void RefusesShapeThatDisagreesWithData()
    {
        var e = Assert.Throws<DataFormatException>(() => NpyReader.Parse(NpzBuilder.Npy("<i4", [4], NpzBuilder.Bytes(1, 2, 3)), "x.npy"));
        Assert.Contains("needs 16 data bytes but the array holds 12", e.Message);
    }

    [Fact]
    public void RefusesPickledObjects()
    {
        var e = Assert.Throws<DataFormatException>(() => NpyReader.Parse(NpzBuilder.Npy("|O", [1], new byte[8]), "x.npy"));
        Assert.Contains("pickled Python objects", e.Message);
    }

    [Fact]
    public void RefusesNonNpyBytes()
    {
        var e = Assert.Throws<DataFormatException>(() => NpyReader.Parse("hello world!"u8.ToArray(), "x.npy"));
        Assert.Contains("bad magic", e.Message);
    }

    [Fact]
    public void RefusesFractionalValuesAsIntegers()
    {
        NpyArray a = NpyReader.Parse(NpzBuilder.Npy("<f4", [1], NpzBuilder.Bytes(1.5f)), "x.npy");
        Assert.Throws<DataFormatException>(a.ToInt32);
    }

    /// <summary>An .npy whose header is <paramref name="shape"/> written as-is (floats, NaN, huge products).</summary>
    private static byte[] WithShapeText(string shape, int dataBytes = 0)
    {
        byte[] clean = NpzBuilder.Npy("<f4", [0], []);
        string text = System.Text.Encoding.Latin1.GetString(clean).Replace("'shape': (0,)", $"'shape': ({shape})");
        byte[] bytes = System.Text.Encoding.Latin1.GetBytes(text);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)(bytes.Length - 10));
        return [.. bytes, .. new byte[dataBytes]];
    }

    [Theory]
    [InlineData("4294967296, 4294967296, 4294967296", "has more elements than any file can hold")]
    [InlineData("9223372036854775807, 2", "has more elements than any file can hold")]
    [InlineData("1e300,", "bad dimension '1e300'")]
    [InlineData("nan,", "bad dimension 'nan'")]
    [InlineData("3.0,", "bad dimension '3.0'")]
    [InlineData("-1,", "bad dimension '-1'")]
    [InlineData("2147483648,", "needs 8589934592 data bytes but the array holds 0")]
    [InlineData("99999999999999999999999,", "bad dimension '99999999999999999999999'")]
    public void CraftedShapesAreNamedNotThrown(string shape, string expected)
    {
        var error = Assert.Throws<DataFormatException>(() => NpyReader.Parse(WithShapeText(shape), "x.npy"));
        Assert.Equal("x.npy", error.File);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ValuesOutsideTheIntegerRangesAreNamed()
    {
        NpyArray big = NpyReader.Parse(NpzBuilder.Npy("<f8", [2], NpzBuilder.Bytes(1.0, 1e300)), "x.npy");
        Assert.Contains("is not a 64-bit integer", Assert.Throws<DataFormatException>(() => big.ToInt64()).Message);
        NpyArray nan = NpyReader.Parse(NpzBuilder.Npy("<f8", [1], NpzBuilder.Bytes(double.NaN)), "x.npy");
        Assert.Contains("is not a 64-bit integer", Assert.Throws<DataFormatException>(() => nan.ToInt64()).Message);
        Assert.Contains("is not a 32-bit integer", Assert.Throws<DataFormatException>(() => nan.ToInt32()).Message);
        NpyArray near = NpyReader.Parse(NpzBuilder.Npy("<i8", [1], NpzBuilder.Bytes(2147483648L)), "x.npy");
        Assert.Contains("2147483648 at position 0 is not a 32-bit integer", Assert.Throws<DataFormatException>(() => near.ToInt32()).Message);
    }

    [Fact]
    public void AHugeMalformedHeaderIsEchoedShortened()
    {
        byte[] clean = NpzBuilder.Npy("<f4", [0], [], version: 2);
        string text = System.Text.Encoding.Latin1.GetString(clean).Replace("'descr'", "'d" + new string('x', 100_000) + "'");
        byte[] bytes = System.Text.Encoding.Latin1.GetBytes(text);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)(bytes.Length - 12));
        var error = Assert.Throws<DataFormatException>(() => NpyReader.Parse(bytes, "x.npy"));
        Assert.True(error.Message.Length < 300, error.Message);
    }
}
