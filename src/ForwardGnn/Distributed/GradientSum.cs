using static TorchSharp.torch;

namespace ForwardGnn.Distributed;

/// <summary>
/// One all-reduce per step: a layer's gradients and its loss packed into one flat buffer, summed over the ranks and
/// unpacked in place. Each rank's loss is its share of the whole graph's loss, so the sums are the whole graph's.
/// </summary>
internal static class GradientSum
{
    /// <returns>The summed loss.</returns>
    public static float AllReduce(ICommunicator ranks, IEnumerable<Tensor> parameters, Tensor loss)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Tensor[] grads = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToArray();
        Tensor flat = cat([.. grads.Select(g => g.reshape(-1)), loss.detach().reshape(1)]).contiguous();
        ranks.AllReduceSum(flat, "gradients");
        long offset = 0;
        foreach (Tensor g in grads)
        {
            g.copy_(flat.narrow(0, offset, g.numel()).view_as(g));
            offset += g.numel();
        }
        return flat[offset].item<float>();
    }
}
