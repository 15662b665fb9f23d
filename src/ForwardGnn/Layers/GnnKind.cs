namespace ForwardGnn.Layers;

/// <summary>The three GNN layer types of the paper.</summary>
public enum GnnKind { Gcn, Sage, Gat }

/// <summary>The layer registry: one line per layer type.</summary>
public static class GnnLayers
{
    /// <summary>Attention heads of every GAT layer (paper App. B).</summary>
    public const int GatHeads = 4;

    public static GnnKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "gcn" => GnnKind.Gcn,
        "sage" or "graphsage" => GnnKind.Sage,
        "gat" => GnnKind.Gat,
        _ => throw new ArgumentException($"unknown GNN '{name}' (known: gcn, sage, gat)"),
    };

    /// <summary>
    /// A conv mapping <paramref name="inChannels"/> to <paramref name="outChannels"/>. GAT concatenates 4 heads of
    /// out/4 channels, unless <paramref name="averageHeads"/> asks for 4 heads of out channels averaged.
    /// </summary>
    public static GraphConv Create(GnnKind kind, int inChannels, int outChannels, bool averageHeads = false) => kind switch
    {
        GnnKind.Gcn => new GcnConv(inChannels, outChannels),
        GnnKind.Sage => new SageConv(inChannels, outChannels),
        GnnKind.Gat when averageHeads => new GatConv(inChannels, outChannels, GatHeads, concat: false),
        GnnKind.Gat when outChannels % GatHeads == 0 => new GatConv(inChannels, outChannels / GatHeads, GatHeads),
        GnnKind.Gat => throw new ArgumentException($"GAT width {outChannels} is not a multiple of {GatHeads} heads"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
