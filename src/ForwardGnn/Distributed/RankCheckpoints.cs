using ForwardGnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Distributed;

/// <summary>
/// Layer checkpoints of a distributed run: rank 0 saves each finished layer into its run folder and, when resuming,
/// decides whether a layer was finished; its answer (the layer's epochs and best metric) and the restored parameters
/// are broadcast, so every rank resumes from the same layer with the same parameters, and the other ranks need no
/// access to the run folder.
/// </summary>
/// <param name="folder">Rank 0's checkpoints (null on the other ranks).</param>
/// <param name="ranks">The ranks of the job.</param>
internal sealed class RankCheckpoints(ILayerCheckpoints? folder, ICommunicator ranks) : ILayerCheckpoints
{
    /// <inheritdoc/>
    public (int Epochs, double BestVal)? TryRestoreLayer(int split, int layer, nn.Module module)
    {
        (int Epochs, double BestVal)? found = ranks.Rank == 0 ? folder?.TryRestoreLayer(split, layer, module) : null;
        long bits = BitConverter.DoubleToInt64Bits(found?.BestVal ?? 0);   // the metric travels bit for bit, as two floats' bits
        using Tensor answer = tensor(new[]
        {
            found is null ? 0f : 1f, found?.Epochs ?? 0, BitConverter.Int32BitsToSingle((int)bits), BitConverter.Int32BitsToSingle((int)(bits >> 32)),
        });
        ranks.Broadcast(answer, 0, "checkpoint");
        float[] a = answer.data<float>().ToArray();
        if (a[0] == 0) return null;
        using (no_grad())
            foreach (Tensor p in module.parameters())
                ranks.Broadcast(p, 0, "checkpoint");
        long received = (uint)BitConverter.SingleToInt32Bits(a[2]) | ((long)BitConverter.SingleToInt32Bits(a[3]) << 32);
        return ((int)a[1], BitConverter.Int64BitsToDouble(received));
    }

    /// <inheritdoc/>
    public void SaveLayer(int split, int layer, nn.Module module, int epochs, double bestVal)
    {
        if (ranks.Rank == 0) folder?.SaveLayer(split, layer, module, epochs, bestVal);
    }
}
