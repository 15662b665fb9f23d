using ForwardGnn.Engine;
using static TorchSharp.torch;

namespace ForwardGnn.Distributed;

/// <summary>
/// Which rows of partitioned nodes each rank needs from the others, and the all-to-all that moves them. Built from
/// links (needer, needed): the rank owning <c>needer</c> needs <c>needed</c>'s row. Every rank builds the same plan
/// from the same links, so each knows what it receives (<see cref="Received"/>, grouped by owner rank, ascending
/// within a group) and what it sends (its own rows <see cref="SendIndex"/>, block by block).
/// </summary>
internal sealed class RowExchange
{
    /// <param name="owner">Each partitioned node's rank; links touching other nodes (ids ≥ owner.Length) are ignored.</param>
    /// <param name="parts">The number of ranks K.</param>
    /// <param name="rank">This rank.</param>
    /// <param name="own">This rank's nodes, ascending: their positions are the local rows <see cref="SendIndex"/> counts in.</param>
    /// <param name="links">(needer, needed) node pairs; the rank owning needer needs needed's row unless it owns it too.</param>
    public RowExchange(int[] owner, int parts, int rank, int[] own, IEnumerable<(int Needer, int Needed)> links)
    {
        int real = owner.Length;
        var received = new SortedSet<int>();
        var needs = new SortedSet<int>[parts];
        for (int p = 0; p < parts; p++) needs[p] = [];
        foreach ((int needer, int needed) in links)
        {
            if (needer >= real || needed >= real || owner[needer] == owner[needed]) continue;
            if (owner[needer] == rank) received.Add(needed);
            else if (owner[needed] == rank) needs[owner[needer]].Add(needed);
        }
        Received = [.. received.OrderBy(n => owner[n]).ThenBy(n => n)];
        ReceiveRows = new int[parts];
        foreach (int n in Received) ReceiveRows[owner[n]]++;
        SendRows = needs.Select(s => s.Count).ToArray();
        SendIndex = needs.SelectMany(s => s.Select(n => (long)Array.BinarySearch(own, n))).ToArray();
    }

    private RowExchange(int[] received, int[] receiveRows, int[] sendRows, long[] sendIndex) =>
        (Received, ReceiveRows, SendRows, SendIndex) = (received, receiveRows, sendRows, sendIndex);

    /// <summary>Writes the plan (<see cref="Read"/> reads it back).</summary>
    public void Write(BinaryWriter w)
    {
        Arrays.Write(w, Received);
        Arrays.Write(w, ReceiveRows);
        Arrays.Write(w, SendRows);
        Arrays.Write(w, SendIndex);
    }

    /// <summary>A plan <see cref="Write"/> wrote.</summary>
    public static RowExchange Read(BinaryReader r) => new(Arrays.ReadInts(r), Arrays.ReadInts(r), Arrays.ReadInts(r), Arrays.ReadLongs(r));

    /// <summary>The foreign nodes (global ids) this rank receives, grouped by owner rank.</summary>
    public int[] Received { get; }

    /// <summary>Rows received from each rank.</summary>
    public int[] ReceiveRows { get; }

    /// <summary>Own rows sent to each rank.</summary>
    public int[] SendRows { get; }

    /// <summary>The local (own) rows sent, block by block, in the order <see cref="SendRows"/> counts them.</summary>
    public long[] SendIndex { get; }

    /// <summary>The <see cref="Received"/> rows [received, d] from every rank's own rows <paramref name="own"/> [own, d]: one all-to-all.</summary>
    public Tensor Exchange(Tensor own, ICommunicator ranks, string kind)
    {
        using Tensor index = tensor(SendIndex, device: own.device);
        using Tensor send = own.index_select(0, index).contiguous();
        Tensor received = empty(Received.Length, own.shape[1], device: own.device);
        ranks.AllToAll(send, SendRows, received, ReceiveRows, kind);
        return received;
    }

    /// <summary>
    /// The reverse of <see cref="Exchange"/> for gradients: <paramref name="receivedGrad"/> [received, d] goes back to the
    /// owners, which add what they get to <paramref name="ownGrad"/> [own, d]: a new [own, d].
    /// </summary>
    public Tensor Return(Tensor receivedGrad, Tensor ownGrad, ICommunicator ranks, string kind)
    {
        using Tensor sent = receivedGrad.contiguous();
        using Tensor back = empty(SendIndex.Length, receivedGrad.shape[1], device: receivedGrad.device);
        ranks.AllToAll(sent, ReceiveRows, back, SendRows, kind);
        using Tensor index = tensor(SendIndex, device: receivedGrad.device);
        return ownGrad.index_add(0, index, back, HeldScalars.One);
    }
}
