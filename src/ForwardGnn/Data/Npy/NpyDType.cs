namespace ForwardGnn.Data.Npy;

/// <summary>The element kinds an <c>.npy</c> array may hold that this reader distinguishes.</summary>
internal enum NpyKind { Bool, UInt8, Int8, Int32, Int64, Float32, Float64, Unicode, Object }

/// <summary>A parsed numpy <c>descr</c> string such as <c>&lt;f4</c>, <c>|b1</c> or <c>&lt;U17</c>.</summary>
internal readonly record struct NpyDType(NpyKind Kind, int ItemSize, string Descr)
{
    /// <summary>True for the numeric and boolean kinds whose values this reader can convert.</summary>
    public bool IsNumeric => Kind is not (NpyKind.Unicode or NpyKind.Object);

    /// <summary>Parses a descr; returns null for kinds this reader does not support (big-endian, complex, ...).</summary>
    public static NpyDType? TryParse(string descr)
    {
        if (descr.Length < 2) return null;
        char order = descr[0];
        string body = descr[1..];
        bool littleOrNone = order is '<' or '|' or '=';
        if (body == "O8" || body == "O") return new NpyDType(NpyKind.Object, 8, descr);
        if (!littleOrNone) return null;
        if (body[0] == 'U' && int.TryParse(body.AsSpan(1), out int chars) && chars > 0)
            return new NpyDType(NpyKind.Unicode, 4 * chars, descr);
        return body switch
        {
            "b1" => new NpyDType(NpyKind.Bool, 1, descr),
            "u1" => new NpyDType(NpyKind.UInt8, 1, descr),
            "i1" => new NpyDType(NpyKind.Int8, 1, descr),
            "i4" => new NpyDType(NpyKind.Int32, 4, descr),
            "i8" => new NpyDType(NpyKind.Int64, 8, descr),
            "f4" => new NpyDType(NpyKind.Float32, 4, descr),
            "f8" => new NpyDType(NpyKind.Float64, 8, descr),
            _ => null,
        };
    }
}
