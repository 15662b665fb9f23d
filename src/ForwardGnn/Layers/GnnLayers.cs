namespace ForwardGnn.Layers;

/// <summary>The layer registry: one line per layer type. Parsing, the CLI's help and the summaries read it.</summary>
public static class GnnLayers
{
    /// <summary>Attention heads of every GAT layer (paper App. B).</summary>
    public const int GatHeads = 4;

    /// <summary>Every layer type, in the paper's order.</summary>
    public static IReadOnlyList<GnnLayerType> All { get; } =
    [
        new(GnnKind.Gcn, "gcn", [], "GCNConv: Â (x Wᵀ) + b", (i, o, _) => new GcnConv(i, o)),
        new(GnnKind.Sage, "sage", ["graphsage"], "SAGEConv, mean aggregation: W₁ x_i + W₂ mean_j x_j + b", (i, o, _) => new SageConv(i, o)),
        new(GnnKind.Gat, "gat", [], $"GATConv, {GatHeads} heads (concatenated; averaged in a node classifier's output layer)", CreateGat),
    ];

    /// <summary>The layer type named <paramref name="name"/> (or an alias), ignoring case.</summary>
    /// <exception cref="ArgumentException">No layer has that name; the message lists the known ones.</exception>
    public static GnnLayerType Find(string name) => All.FirstOrDefault(t => t.Matches(name))
        ?? throw new ArgumentException($"unknown GNN '{Data.EchoedText.Shorten(name)}' (known: {string.Join(", ", All.Select(t => t.Name))})");

    /// <summary>The kind named <paramref name="name"/>; see <see cref="Find"/>.</summary>
    public static GnnKind Parse(string name) => Find(name).Kind;

    /// <summary>The registry entry of <paramref name="kind"/>.</summary>
    public static GnnLayerType Of(GnnKind kind) => All.First(t => t.Kind == kind);

    /// <summary>
    /// A conv mapping <paramref name="inChannels"/> to <paramref name="outChannels"/>. GAT concatenates 4 heads of
    /// out/4 channels, unless <paramref name="averageHeads"/> asks for 4 heads of out channels averaged.
    /// </summary>
    public static GraphConv Create(GnnKind kind, int inChannels, int outChannels, bool averageHeads = false) =>
        Of(kind).Create(inChannels, outChannels, averageHeads);

    private static GraphConv CreateGat(int inChannels, int outChannels, bool averageHeads) =>
        averageHeads ? new GatConv(inChannels, outChannels, GatHeads, concat: false)
        : outChannels % GatHeads == 0 ? new GatConv(inChannels, outChannels / GatHeads, GatHeads)
        : throw new ArgumentException($"GAT width {outChannels} is not a multiple of {GatHeads} heads");
}
