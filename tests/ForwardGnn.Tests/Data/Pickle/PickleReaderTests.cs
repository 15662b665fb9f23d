using ForwardGnn.Data;
using ForwardGnn.Data.Npy;
using ForwardGnn.Data.Pickle;

namespace ForwardGnn.Tests.Data.Pickle;

public class PickleReaderTests
{
    // A Python 2 protocol-2 pickle of defaultdict(list, {0: [1, 300], 1: [0]}).
    private static readonly byte[] Graph =
    [
        0x80, 2, (byte)'c', .. "collections\ndefaultdict\n"u8, (byte)'q', 1, (byte)'c', .. "__builtin__\nlist\n"u8, 0x85, (byte)'R',
        (byte)'(', (byte)'K', 0, (byte)']', (byte)'(', (byte)'K', 1, (byte)'M', 44, 1, (byte)'e',
        (byte)'K', 1, (byte)']', (byte)'K', 0, (byte)'a', (byte)'u', (byte)'.',
    ];

    [Fact]
    public void ReadsADefaultDictOfLists()
    {
        var graph = Assert.IsType<Dictionary<object, object?>>(PickleReader.Parse(Graph, "g"));
        Assert.Equal([1L, 300L], Assert.IsType<List<object?>>(graph[0L]));
        Assert.Equal([0L], Assert.IsType<List<object?>>(graph[1L]));
    }

    [Fact]
    public void ReadsANumpyArray()
    {
        // numpy.core.multiarray._reconstruct(ndarray, (0,), 'b') then BUILD (1, (2,), dtype('i4') with state, False, bytes).
        byte[] pickle =
        [
            0x80, 2, (byte)'c', .. "numpy.core.multiarray\n_reconstruct\n"u8, (byte)'c', .. "numpy\nndarray\n"u8,
            (byte)'K', 0, 0x85, (byte)'U', 1, (byte)'b', 0x87, (byte)'R',
            (byte)'(', (byte)'K', 1, (byte)'K', 2, 0x85, (byte)'c', .. "numpy\ndtype\n"u8, (byte)'U', 2, (byte)'i', (byte)'4',
            (byte)'K', 0, (byte)'K', 1, 0x87, (byte)'R', (byte)'(', (byte)'K', 3, (byte)'U', 1, (byte)'<', (byte)'N', (byte)'t', (byte)'b',
            0x89, (byte)'U', 8, 7, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, (byte)'t', (byte)'b', (byte)'.',
        ];
        NpyArray a = PickledArrays.ToArray(PickleReader.Parse(pickle, "a"), "a");
        Assert.Equal([2L], a.Shape);
        Assert.Equal([7, -2], a.ToInt32());
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 2, (byte)'c', (byte)'o', (byte)'s', (byte)'\n', (byte)'s', (byte)'y', (byte)'s', (byte)'t', (byte)'e', (byte)'m', (byte)'\n', (byte)'.' }, "os.system")]
    [InlineData(new byte[] { 0x80, 2, (byte)'T', 255, 255, 255, 0 }, "truncated")]
    [InlineData(new byte[] { 0x80, 2, (byte)'a', (byte)'.' }, "underflow")]
    [InlineData(new byte[] { 0x80, 2, (byte)'i' }, "unsupported pickle opcode 0x69")]
    [InlineData(new byte[] { 0x80, 2, (byte)'h', 3 }, "memo 3 is unset")]
    public void RefusesWhatItDoesNotKnowAndTruncation(byte[] pickle, string expected) =>
        Assert.Contains(expected, Assert.Throws<DataFormatException>(() => PickleReader.Parse(pickle, "p")).Message);
}
