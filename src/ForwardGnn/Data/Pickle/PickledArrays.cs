using ForwardGnn.Data.Npy;

namespace ForwardGnn.Data.Pickle;

/// <summary>
/// Turns what <see cref="PickleReader"/> built into arrays: a pickled <c>numpy.ndarray</c>
/// (<c>_reconstruct</c> then BUILD with <c>(version, shape, dtype, fortran, raw bytes)</c>) into an
/// <see cref="NpyArray"/>, and a pickled <c>scipy.sparse.csr_matrix</c> (attributes <c>_shape</c>, <c>indptr</c>,
/// <c>indices</c>, <c>data</c>) into a checked <see cref="CsrMatrix"/>.
/// </summary>
internal static class PickledArrays
{
    public static NpyArray ToArray(object? value, string source)
    {
        if (value is not PickleObject { Callable.Name: "_reconstruct", State: object?[] state } || state.Length != 5)
            throw new DataFormatException(source, $"expected a pickled numpy array, found {PickleReader.Describe(value)}");
        long[] shape = state[1] is object?[] dims
            ? dims.Select(d => d is long n and >= 0 ? n : throw new DataFormatException(source, "bad numpy array shape")).ToArray()
            : throw new DataFormatException(source, "bad numpy array shape");
        if (state[2] is not PickleObject { Callable.Name: "dtype", Arguments: [var kind, ..] } dtype)
            throw new DataFormatException(source, "numpy array without a dtype");
        string order = dtype.State is object?[] { Length: > 1 } dtypeState ? PickleReader.Text(dtypeState[1], source) : "|";
        string descr = order + PickleReader.Text(kind, source);
        NpyDType type = NpyDType.TryParse(descr) is { IsNumeric: true } parsed
            ? parsed
            : throw new DataFormatException(source, $"numpy dtype '{descr}' is not supported");
        if (state[3] is true && shape.Length > 1) throw new DataFormatException(source, "Fortran-ordered numpy arrays are not supported");
        if (state[4] is not byte[] data) throw new DataFormatException(source, "numpy array data is not a byte string");
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count * type.ItemSize != data.Length)
            throw new DataFormatException(source, $"numpy array of shape ({EchoedText.Shorten(string.Join(", ", shape))}) {descr} needs {count * type.ItemSize} bytes, has {data.Length}");
        return new NpyArray(source, type, shape, data);
    }

    public static CsrMatrix ToCsr(object? value, string source)
    {
        if (value is not PickleObject { Callable.Name: "csr_matrix", State: Dictionary<object, object?> attributes })
            throw new DataFormatException(source, $"expected a pickled scipy csr_matrix, found {PickleReader.Describe(value)}");
        object? Attribute(string key) => attributes.TryGetValue(key, out object? v) ? v : throw new DataFormatException(source, $"csr_matrix has no '{key}'");
        if (Attribute("_shape") is not object?[] { Length: 2 } shape || shape[0] is not long rowCount || shape[1] is not long columnCount
            || rowCount is < 0 or > int.MaxValue || columnCount is < 0 or > int.MaxValue)
            throw new DataFormatException(source, "csr_matrix has a bad shape");
        int rows = (int)rowCount, columns = (int)columnCount;
        int[] pointer = ToArray(Attribute("indptr"), source + ":indptr").ToInt32();
        int[] index = ToArray(Attribute("indices"), source + ":indices").ToInt32();
        float[] values = ToArray(Attribute("data"), source + ":data").ToFloat32();

        if (pointer.Length != rows + 1 || index.Length != values.Length || pointer[0] != 0 || pointer[rows] != index.Length)
            throw new DataFormatException(source, $"csr_matrix arrays disagree with its shape {rows}×{columns}");
        for (int r = 0; r < rows; r++)
            if (pointer[r + 1] < pointer[r]) throw new DataFormatException(source, $"csr_matrix row pointer decreases at row {r}");
        for (int k = 0; k < index.Length; k++)
            if ((uint)index[k] >= (uint)columns) throw new DataFormatException(source, $"csr_matrix column {index[k]} is out of range 0..{columns - 1}");
        return new CsrMatrix(rows, columns, pointer, index, values);
    }
}
