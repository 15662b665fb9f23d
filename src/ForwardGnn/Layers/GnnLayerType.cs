namespace ForwardGnn.Layers;

/// <summary>
/// One entry of the layer registry: the name used on the command line and in summaries, its aliases, a one-line
/// description, and the factory of a conv mapping in → out channels (<c>averageHeads</c>: an output layer that
/// averages attention heads instead of concatenating them; other layers ignore it).
/// </summary>
public sealed record GnnLayerType(GnnKind Kind, string Name, string[] Aliases, string Description, Func<int, int, bool, GraphConv> Create)
{
    /// <summary>True when <paramref name="name"/> is this layer's name or an alias, ignoring case.</summary>
    public bool Matches(string name) =>
        string.Equals(Name, name, StringComparison.OrdinalIgnoreCase) || Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
}
