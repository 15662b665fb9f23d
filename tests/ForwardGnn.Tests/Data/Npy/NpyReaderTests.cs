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
}
