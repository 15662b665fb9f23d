namespace ForwardGnn.Layers;

/// <summary>The GNN layer types (see <see cref="GnnLayers"/> for their names and factories).</summary>
public enum GnnKind
{
    /// <summary>Graph convolution (<see cref="GcnConv"/>).</summary>
    Gcn,

    /// <summary>GraphSAGE with mean aggregation (<see cref="SageConv"/>).</summary>
    Sage,

    /// <summary>Graph attention with 4 heads (<see cref="GatConv"/>).</summary>
    Gat,
}
