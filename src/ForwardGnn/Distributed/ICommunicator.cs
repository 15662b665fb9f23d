using static TorchSharp.torch;

namespace ForwardGnn.Distributed;

/// <summary>
/// The ranks of one training job and the collectives distributed training needs. Every rank calls the same collectives
/// in the same order. Tensors are float32, contiguous, on the CPU, and are changed in place.
/// <see cref="SingleProcessCommunicator"/> is the one-rank default; <see cref="MpiCommunicator"/> runs over Open MPI.
/// </summary>
internal interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, 0..<see cref="Size"/>−1.</summary>
    int Rank { get; }

    /// <summary>The number of ranks K.</summary>
    int Size { get; }

    /// <summary>Bytes sent and seconds spent, per kind of operation.</summary>
    CommunicationStats Stats { get; }

    /// <summary>Replaces <paramref name="tensor"/> on every rank by the elementwise sum over the ranks.</summary>
    void AllReduceSum(Tensor tensor, string kind);

    /// <summary>Replaces <paramref name="tensor"/> on every rank by rank <paramref name="root"/>'s.</summary>
    void Broadcast(Tensor tensor, int root, string kind);

    /// <summary>
    /// Sends block p of <paramref name="send"/> (rows <c>sendRows[0..p)</c> summed, <c>sendRows[p]</c> of them) to rank p and
    /// receives rank p's block into the matching rows of <paramref name="receive"/> (a halo exchange); both [rows, d].
    /// </summary>
    void AllToAll(Tensor send, int[] sendRows, Tensor receive, int[] receiveRows, string kind);

    /// <summary>Waits until every rank has called it.</summary>
    void Barrier();
}
