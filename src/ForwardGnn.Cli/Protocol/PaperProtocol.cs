namespace ForwardGnn.Cli.Protocol;

/// <summary>
/// The ForwardGNN paper's protocol as the CLI runs it: five node and edge splits (0..4), one run per split, each
/// seeded from the base seed <c>--seed</c> by the reference's rule.
/// </summary>
internal static class PaperProtocol
{
    /// <summary>The number of splits: split indices are 0..4.</summary>
    public const int SplitCount = 5;

    /// <summary>The seed of the run on split <paramref name="split"/>: seed·101 + 3·split (10100, 10103, ... for seed 100).</summary>
    public static long RunSeed(int baseSeed, int split) => baseSeed * 101L + 3L * split;

    /// <summary>Throws <see cref="Commands.UsageException"/> unless every split is 0..4.</summary>
    public static void CheckSplits(IReadOnlyCollection<int> splits)
    {
        if (splits.Count == 0 || splits.Any(s => s is < 0 or >= SplitCount))
            throw new Commands.UsageException($"splits must be in 0..{SplitCount - 1}");
    }
}
