using System.Globalization;

namespace ForwardGnn.Data.Formats;

/// <summary>
/// The data rows of a small text table: fields separated by commas (or, in a line without commas, by tabs or
/// spaces); blank lines and lines starting with <c>#</c> are skipped; the first remaining line is a header, and
/// skipped, when one of its fields is not a number (or, for tables whose later columns are words, its first field).
/// Line numbers count from 1 for error messages.
/// </summary>
internal static class CsvRows
{
    /// <param name="path">The table's file.</param>
    /// <param name="headerByFirstField">Decide whether the first line is a header by its first field alone.</param>
    public static IEnumerable<(int Line, string[] Fields)> Read(string path, bool headerByFirstField = false)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found");
        int line = 0;
        bool first = true;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            string trimmed = text.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#') continue;
            string[] fields = trimmed.Contains(',')
                ? trimmed.Split(',', StringSplitOptions.TrimEntries)
                : trimmed.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            bool header = first && (headerByFirstField ? fields.Take(1) : fields)
                .Any(f => !double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            first = false;
            if (!header) yield return (line, fields);
        }
    }

    /// <summary>A node id in 0..<see cref="DefaultFeatures.MaxNodes"/>−1.</summary>
    public static int NodeId(string field, string path, int line)
    {
        if (!long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long id) || id < 0)
            throw new DataFormatException(path, $"line {line}: '{field}' is not a node id (a non-negative integer)");
        if (id >= DefaultFeatures.MaxNodes)
            throw new DataFormatException(path, $"line {line}: node id {id} is too large (at most {DefaultFeatures.MaxNodes - 1:N0} nodes; ids must run from 0)");
        return (int)id;
    }

    /// <summary>A finite number.</summary>
    public static float Number(string field, string path, int line) =>
        float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v)
            ? v
            : throw new DataFormatException(path, $"line {line}: '{field}' is not a finite number");
}
