using static TorchSharp.torch;

namespace ForwardGnn.Distributed;

/// <summary>One rank, no traffic: every collective leaves its tensors as they are (a halo exchange has nothing to move).</summary>
internal sealed class SingleProcessCommunicator : ICommunicator
{
    public int Rank => 0;
    public int Size => 1;
    public CommunicationStats Stats { get; } = new();

    public void AllReduceSum(Tensor tensor, string kind) { }

    public void Broadcast(Tensor tensor, int root, string kind) { }

    public void AllToAll(Tensor send, int[] sendRows, Tensor receive, int[] receiveRows, string kind)
    {
        if (sendRows is not [var n] || receiveRows is not [var m] || n != m)
            throw new ArgumentException("one rank sends its only block to itself");
        if (n > 0) receive.copy_(send);
    }

    public void Barrier() { }

    public void Dispose() { }
}
