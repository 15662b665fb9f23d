namespace ForwardGnn.Data;

/// <summary>
/// A user's value echoed in an error line, cut to a bounded length (a 200 MB scalar must not become a 200 MB line) and
/// with its control characters made visible, so the line stays one line.
/// </summary>
internal static class EchoedText
{
    /// <summary><paramref name="text"/> if it has at most <paramref name="max"/> characters, else its start, "…" and its length.</summary>
    public static string Shorten(string text, int max = 60)
    {
        string head = text.Length <= max ? text : text[..max];
        head = string.Concat(head.Select(c => char.IsControl(c) ? '?' : c));
        return text.Length <= max ? head : $"{head}… ({text.Length:N0} characters)";
    }
}
