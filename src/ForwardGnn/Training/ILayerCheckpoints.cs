using static TorchSharp.torch;

namespace ForwardGnn.Training;

/// <summary>
/// Where a greedy layer-wise run keeps each finished layer, so an interrupted run can resume: a layer found here is
/// loaded instead of trained again. Set <see cref="Learning.RunContext.Checkpoints"/> to use one; the CLI keeps them in
/// its run folders.
/// </summary>
public interface ILayerCheckpoints
{
    /// <summary>Loads layer <paramref name="layer"/> (1-based) of the run on <paramref name="split"/> into <paramref name="module"/>, if it was saved.</summary>
    /// <returns>The epochs it trained and its best validation metric; null when it was not saved.</returns>
    (int Epochs, double BestVal)? TryRestoreLayer(int split, int layer, nn.Module module);

    /// <summary>Saves finished layer <paramref name="layer"/> (its best parameters restored), with its epochs and best validation metric.</summary>
    void SaveLayer(int split, int layer, nn.Module module, int epochs, double bestVal);
}
