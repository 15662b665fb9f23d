using ForwardGnn.Layers;
using ForwardGnn.Training;

namespace ForwardGnn.Learning.Forward;

/// <summary>The layer stack of a forward-learning model: conv_1 (in → H), conv_2..L (H → H), each a <see cref="LocalLayer"/>.</summary>
internal sealed class LocalLayers : List<LocalLayer>, IDisposable
{
    public LocalLayers(TrainConfig config, int inputWidth, bool normalizeInput = true, bool cacheFixedInputs = false)
    {
        for (int l = 0; l < config.Layers; l++)
            Add(new LocalLayer(GnnLayers.Create(config.Gnn, l == 0 ? inputWidth : config.Hidden, config.Hidden),
                config.Lr, config.WeightDecay, normalizeInput, cacheFixedInputs));
    }

    public LocalLayers(IEnumerable<LocalLayer> layers) : base(layers)
    {
    }

    public void Dispose()
    {
        foreach (LocalLayer layer in this) layer.Dispose();
    }
}
