using System.IO.Compression;

namespace ForwardGnn.Data.Npy;

/// <summary>
/// An <c>.npz</c> file: a zip (stored or deflated members, zip64 extras allowed) with one <c>&lt;key&gt;.npy</c>
/// member per array. Members are parsed only when asked for, so metadata members that this reader cannot parse
/// (pickled objects) are skipped unless a caller needs them.
/// </summary>
internal sealed class NpzArchive : IDisposable
{
    private readonly ZipArchive _zip;

    private NpzArchive(string path, ZipArchive zip)
    {
        Path = path;
        _zip = zip;
    }

    public string Path { get; }

    /// <summary>The array keys (member names without <c>.npy</c>).</summary>
    public IEnumerable<string> Keys => _zip.Entries.Select(e => e.FullName.EndsWith(".npy") ? e.FullName[..^4] : e.FullName);

    /// <summary>Opens an archive; a missing, empty, truncated or non-zip file is a <see cref="DataFormatException"/>.</summary>
    public static NpzArchive Open(string path)
    {
        ZipArchive zip = ZipFiles.Open(path);
        return new NpzArchive(path, zip);
    }

    public bool Contains(string key) => _zip.GetEntry(key + ".npy") is not null;

    /// <summary>Reads and parses array <paramref name="key"/>; a missing key is a <see cref="DataFormatException"/>.</summary>
    public NpyArray Get(string key)
    {
        ZipArchiveEntry entry = _zip.GetEntry(key + ".npy")
            ?? throw new DataFormatException(Path, $"has no array '{key}' (arrays: {KeysForMessage()})");
        string source = $"{Path}:{entry.FullName}";
        return NpyReader.Parse(ZipFiles.ReadMember(entry, source), source);
    }

    /// <summary>
    /// The keys as one short line of an error message: a member name is the file's to choose, so line breaks and
    /// other control characters show as '?', each name stops at 40 characters, and at most eight are listed.
    /// </summary>
    private string KeysForMessage()
    {
        static string Shown(string key) => new(key.Take(40).Select(ch => char.IsControl(ch)
            || char.GetUnicodeCategory(ch) is System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator
            ? '?' : ch).ToArray());
        string[] keys = Keys.Take(9).Select(Shown).ToArray();
        return string.Join(", ", keys.Take(8)) + (keys.Length > 8 ? ", …" : "");
    }

    public void Dispose() => _zip.Dispose();
}
