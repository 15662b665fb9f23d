using ForwardGnn.Data.Splits;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Distributed;

/// <summary>
/// One rank's share of link-supervision pairs: a pair (u, v) belongs to the rank owning u. Its scores need the rows of
/// both ends, so the rank also holds the rows of the targets v that other ranks own (<see cref="Targets"/>): a
/// layer's embedding rows on this rank are [own + received targets, d]. Each set of pairs is re-indexed into those
/// local rows (<see cref="Local"/>), with each pair's position in the whole set, so per-pair scores can be assembled on
/// every rank (<see cref="Gather"/>).
/// </summary>
internal sealed class RankPairs
{
    private readonly (LinkPairs Pairs, Tensor Positions, int Total)[] _sets;

    /// <param name="partition">Which rank owns each node.</param>
    /// <param name="rank">This rank.</param>
    /// <param name="own">This rank's nodes, ascending.</param>
    /// <param name="sets">The pair sets scored on the same embeddings (training and validation pairs share the training graph).</param>
    /// <param name="device">Where the local pairs live.</param>
    public RankPairs(GraphPartition partition, int rank, int[] own, IReadOnlyList<LinkSupervision> sets, Device device)
    {
        int[] owner = partition.Owner;
        Targets = new RowExchange(owner, partition.Parts, rank, own, sets.SelectMany(s => s.Source.Zip(s.Target)));
        var local = new Dictionary<int, long>(own.Length + Targets.Received.Length);
        for (int i = 0; i < own.Length; i++) local[own[i]] = i;
        for (int j = 0; j < Targets.Received.Length; j++) local[Targets.Received[j]] = own.Length + j;
        _sets = sets.Select(s =>
        {
            int[] mine = Enumerable.Range(0, s.Count).Where(p => owner[s.Source[p]] == rank).ToArray();
            var pairs = new LinkPairs(
                tensor(mine.Select(p => local[s.Source[p]]).ToArray(), device: device),
                tensor(mine.Select(p => local[s.Target[p]]).ToArray(), device: device),
                tensor(mine.Select(p => s.Label[p]).ToArray(), device: device),
                mine.Select(p => s.Label[p]).ToArray());
            return (pairs, tensor(mine.Select(p => (long)p).ToArray(), device: device), s.Count);
        }).ToArray();
    }

    /// <summary>The targets' rows this rank receives from their owners (one exchange per layer).</summary>
    public RowExchange Targets { get; }

    /// <summary>Set <paramref name="set"/>'s pairs on this rank, in local rows [own + received targets].</summary>
    public LinkPairs Local(int set) => _sets[set].Pairs;

    /// <summary>The share of set <paramref name="set"/>'s pairs on this rank, |own pairs| / |pairs|.</summary>
    public double Share(int set) => (double)_sets[set].Pairs.HostLabels.Length / _sets[set].Total;

    /// <summary>
    /// This rank's rows [own + received targets, d] from its own rows [own, d] (the exchange of the targets' rows). The
    /// caller keeps <paramref name="own"/>.
    /// </summary>
    public Tensor WithTargets(Tensor own, ICommunicator ranks)
    {
        using Tensor received = Targets.Exchange(own, ranks, "pair-rows");
        return cat([own, received]);
    }

    /// <summary>The whole set's per-pair values [pairs] on every rank from this rank's [own pairs]: one all-reduce.</summary>
    public Tensor Gather(int set, Tensor mine, ICommunicator ranks)
    {
        (_, Tensor positions, int total) = _sets[set];
        Tensor all = zeros(total, device: mine.device);
        all.index_copy_(0, positions, mine.detach());
        ranks.AllReduceSum(all, "scores");
        return all;
    }
}
