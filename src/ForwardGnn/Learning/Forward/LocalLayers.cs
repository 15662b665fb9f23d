using ForwardGnn.Layers;
using ForwardGnn.Training;

namespace ForwardGnn.Learning.Forward;

/// <summary>The layer stack of a forward-learning model: conv_1 (in → H), conv_2..L (H → H), each a <see cref="LocalLayer"/>.</summary>
internal sealed class LocalLayers : List<LocalLayer>, IDisposable
{
    /// <param name="ranks">Distributed training: the ranks each step's gradients are summed over (null: none).</param>
    /// <param name="config">Depth, widths, GNN and optimiser settings.</param>
    /// <param name="inputWidth">Width of layer 1's input.</param>
    /// <param name="normalizeInput">Each layer row-normalises its input.</param>
    /// <param name="cacheFixedInputs">Layers aggregate a fixed input once (layer-wise training).</param>
    public LocalLayers(TrainConfig config, int inputWidth, bool normalizeInput = true, bool cacheFixedInputs = false,
        Distributed.ICommunicator? ranks = null)
    {
        for (int l = 0; l < config.Layers; l++)
            Add(new LocalLayer(GnnLayers.Create(config.Gnn, l == 0 ? inputWidth : config.Hidden, config.Hidden),
                config.Lr, config.WeightDecay, normalizeInput, cacheFixedInputs) { Ranks = ranks });
    }

    public LocalLayers(IEnumerable<LocalLayer> layers) : base(layers)
    {
    }

    public void Dispose()
    {
        foreach (LocalLayer layer in this) layer.Dispose();
    }
}
