namespace ForwardGnn.Data.Splits;

/// <summary>
/// <c>torch.randperm(n)</c> on the CPU right after <c>torch.manual_seed(seed)</c>: a Fisher–Yates shuffle of 0..n−1
/// that swaps position i with i + (draw mod (n − i)), one 32-bit draw per position (libtorch's path for
/// n &lt; 2³²/20).
/// </summary>
internal static class TorchRandperm
{
    public static int[] Generate(int n, ulong seed)
    {
        if ((long)n >= uint.MaxValue / 20) throw new ArgumentOutOfRangeException(nameof(n), "libtorch shuffles this many differently");
        var generator = MersenneTwister.FromSeed(seed);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = 0; i < n - 1; i++)
        {
            int z = (int)(generator.NextUInt32() % (uint)(n - i));
            (perm[i], perm[z + i]) = (perm[z + i], perm[i]);
        }
        return perm;
    }
}
