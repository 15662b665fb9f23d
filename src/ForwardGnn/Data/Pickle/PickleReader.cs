using System.Buffers.Binary;
using System.Text;

namespace ForwardGnn.Data.Pickle;

/// <summary>
/// A bounded reader of the Python pickle opcodes that numpy arrays, scipy CSR matrices and dicts of lists use
/// (protocols 2–4, Python 2 byte strings decoded as latin1). It builds plain values — <see cref="long"/>,
/// <see cref="double"/>, <see cref="bool"/>, <see cref="string"/>, <c>byte[]</c> (byte strings), <c>object?[]</c>
/// (tuples), <see cref="List{T}"/> and <see cref="Dictionary{TKey,TValue}"/> — and records calls as
/// <see cref="PickleObject"/>s without running anything. Only the globals in <see cref="AllowedGlobals"/> are
/// accepted; any other opcode or global is a <see cref="DataFormatException"/>.
/// </summary>
internal static class PickleReader
{
    private static readonly HashSet<string> AllowedGlobals =
    [
        "collections.defaultdict", "__builtin__.list", "builtins.list", "_codecs.encode",
        "numpy.ndarray", "numpy.dtype", "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
    ];

    private const int MaxDepth = 10_000;

    public static object? Read(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found");
        return Parse(BoundedFile.ReadAllBytes(path), path);
    }

    public static object? Parse(byte[] bytes, string source)
    {
        var stack = new List<object?>();
        var marks = new Stack<int>();
        var memo = new Dictionary<long, object?>();
        int pos = 0;

        ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > bytes.Length - pos) throw new DataFormatException(source, $"truncated pickle at byte {pos}");
            var span = bytes.AsSpan(pos, count);
            pos += count;
            return span;
        }
        byte U8() => Take(1)[0];
        int U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
        int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
        int Length32()
        {
            uint n = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
            return n > int.MaxValue ? throw new DataFormatException(source, $"length {n} at byte {pos - 4} is too large") : (int)n;
        }
        string Line()
        {
            int end = Array.IndexOf(bytes, (byte)'\n', pos);
            if (end < 0) throw new DataFormatException(source, $"truncated pickle at byte {pos}");
            string text = Encoding.Latin1.GetString(bytes, pos, end - pos);
            pos = end + 1;
            return text;
        }
        object? Pop()
        {
            if (stack.Count == 0 || (marks.Count > 0 && stack.Count == marks.Peek()))
                throw new DataFormatException(source, $"pickle stack underflow at byte {pos}");
            object? top = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            return top;
        }
        object? Top() => stack.Count > 0 ? stack[^1] : throw new DataFormatException(source, $"pickle stack underflow at byte {pos}");
        List<object?> PopMark()
        {
            if (marks.Count == 0) throw new DataFormatException(source, $"pickle has no mark at byte {pos}");
            int start = marks.Pop();
            List<object?> items = stack.GetRange(start, stack.Count - start);
            stack.RemoveRange(start, stack.Count - start);
            return items;
        }
        void Push(object? value)
        {
            if (stack.Count >= MaxDepth * 100) throw new DataFormatException(source, "pickle stack grows too large");
            stack.Add(value);
        }
        PickleGlobal Global(string module, string name)
        {
            if (!AllowedGlobals.Contains($"{module}.{name}") && !(module.StartsWith("scipy.sparse", StringComparison.Ordinal) && name == "csr_matrix"))
                throw new DataFormatException(source, $"pickle refers to {module}.{name}, which this reader does not support");
            return new PickleGlobal(module, name);
        }
        void SetItems(object? target, List<object?> items)
        {
            if (target is not Dictionary<object, object?> dict || items.Count % 2 != 0)
                throw new DataFormatException(source, $"SETITEMS on a non-dict at byte {pos}");
            for (int i = 0; i < items.Count; i += 2) dict[Key(items[i], source)] = items[i + 1];
        }
        void Append(object? target, IEnumerable<object?> items)
        {
            if (target is not List<object?> list) throw new DataFormatException(source, $"APPEND on a non-list at byte {pos}");
            list.AddRange(items);
        }

        while (true)
        {
            int at = pos;
            byte op = U8();
            switch (op)
            {
                case 0x80: if (U8() > 4) throw new DataFormatException(source, "pickle protocol above 4 is not supported"); break;   // PROTO
                case 0x95: Take(8); break;                                             // FRAME
                case (byte)'.': return stack.Count == 1 && marks.Count == 0 ? stack[0] : throw new DataFormatException(source, "pickle ends with a malformed stack");
                case (byte)'(': if (marks.Count >= MaxDepth) throw new DataFormatException(source, "pickle nests too deeply"); marks.Push(stack.Count); break;
                case (byte)'c': { string module = Line(); Push(Global(module, Line())); break; }
                case 0x93: { string name = Text(Pop(), source), module = Text(Pop(), source); Push(Global(module, name)); break; }
                case (byte)'q': memo[U8()] = Top(); break;                            // BINPUT
                case (byte)'r': memo[(uint)I32()] = Top(); break;                     // LONG_BINPUT
                case 0x94: memo[memo.Count] = Top(); break;                           // MEMOIZE
                case (byte)'h': Push(Memo(memo, U8(), source)); break;                // BINGET
                case (byte)'j': Push(Memo(memo, (uint)I32(), source)); break;         // LONG_BINGET
                case (byte)')': Push(Array.Empty<object?>()); break;                   // EMPTY_TUPLE
                case (byte)'t': Push(PopMark().ToArray()); break;                     // TUPLE
                case 0x85: Push(new[] { Pop() }); break;                              // TUPLE1
                case 0x86: { object? b = Pop(), a = Pop(); Push(new[] { a, b }); break; }
                case 0x87: { object? c = Pop(), b = Pop(), a = Pop(); Push(new[] { a, b, c }); break; }
                case (byte)']': Push(new List<object?>()); break;                     // EMPTY_LIST
                case (byte)'a': { object? item = Pop(); Append(Top(), [item]); break; }
                case (byte)'e': { List<object?> items = PopMark(); Append(Top(), items); break; }
                case (byte)'}': Push(new Dictionary<object, object?>()); break;       // EMPTY_DICT
                case (byte)'s': { object? value = Pop(), key = Pop(); SetItems(Top(), [key, value]); break; }
                case (byte)'u': { List<object?> items = PopMark(); SetItems(Top(), items); break; }
                case (byte)'U': Push(Take(U8()).ToArray()); break;                    // SHORT_BINSTRING
                case (byte)'T': Push(Take(Length32()).ToArray()); break;              // BINSTRING
                case (byte)'C': Push(Take(U8()).ToArray()); break;                    // SHORT_BINBYTES
                case (byte)'B': Push(Take(Length32()).ToArray()); break;              // BINBYTES
                case 0x8c: Push(Encoding.UTF8.GetString(Take(U8()))); break;          // SHORT_BINUNICODE
                case (byte)'X': Push(Encoding.UTF8.GetString(Take(Length32()))); break;   // BINUNICODE
                case (byte)'J': Push((long)I32()); break;                             // BININT
                case (byte)'K': Push((long)U8()); break;                              // BININT1
                case (byte)'M': Push((long)U16()); break;                             // BININT2
                case 0x8a: Push(Long1(Take(U8()), source)); break;                    // LONG1
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;   // BINFLOAT
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'R': { object? args = Pop(); Push(Call(Pop(), args, source)); break; }   // REDUCE
                case 0x81: { object? args = Pop(); Push(Call(Pop(), args, source)); break; }       // NEWOBJ
                case (byte)'b':                                                        // BUILD
                {
                    object? state = Pop();
                    if (Top() is not PickleObject target) throw new DataFormatException(source, $"BUILD on a plain value at byte {at}");
                    target.State = state;
                    break;
                }
                default: throw new DataFormatException(source, $"unsupported pickle opcode 0x{op:x2} at byte {at}");
            }
        }
    }

    /// <summary>A byte string (latin1) or text string as text.</summary>
    public static string Text(object? value, string source) => value switch
    {
        string s => s,
        byte[] b => Encoding.Latin1.GetString(b),
        _ => throw new DataFormatException(source, $"expected a string in the pickle, found {Describe(value)}"),
    };

    public static string Describe(object? value) => value switch
    {
        null => "None",
        PickleObject o => o.Callable.ToString(),
        object?[] t => $"a tuple of {t.Length}",
        _ => value.GetType().Name,
    };

    private static object Key(object? key, string source) => key switch
    {
        long or string => key,
        byte[] b => Encoding.Latin1.GetString(b),
        _ => throw new DataFormatException(source, $"unsupported dict key {Describe(key)} in the pickle"),
    };

    private static object? Memo(Dictionary<long, object?> memo, long index, string source) =>
        memo.TryGetValue(index, out object? value) ? value : throw new DataFormatException(source, $"pickle memo {index} is unset");

    private static long Long1(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length > 8) throw new DataFormatException(source, "pickled integer wider than 64 bits");
        long value = 0;
        for (int i = bytes.Length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        if (bytes.Length is > 0 and < 8 && (bytes[^1] & 0x80) != 0) value -= 1L << (8 * bytes.Length);
        return value;
    }

    /// <summary>Records a call; <c>defaultdict(list)</c> becomes a plain dict and <c>_codecs.encode(text, 'latin1')</c> its bytes.</summary>
    private static object Call(object? callable, object? args, string source)
    {
        if (callable is not PickleGlobal function || args is not object?[] arguments)
            throw new DataFormatException(source, $"pickle calls {Describe(callable)} with {Describe(args)}");
        if (function.Name == "defaultdict") return new Dictionary<object, object?>();
        if (function.Name == "encode")
            return arguments is [string text, ..] ? Encoding.Latin1.GetBytes(text) : throw new DataFormatException(source, "bad _codecs.encode call");
        return new PickleObject(function, arguments);
    }
}
