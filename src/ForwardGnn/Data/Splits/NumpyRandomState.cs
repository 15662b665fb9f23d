namespace ForwardGnn.Data.Splits;

/// <summary>The parts of NumPy's legacy <c>RandomState(seed)</c> that scikit-learn's shuffled splitters use, draw
/// for draw.</summary>
internal sealed class NumpyRandomState(uint seed)
{
    private readonly MersenneTwister generator = MersenneTwister.FromSeed(seed);

    /// <summary><c>permutation(n)</c>: <see cref="Shuffle"/> of 0..n−1.</summary>
    public int[] Permutation(int n)
    {
        int[] items = Enumerable.Range(0, n).ToArray();
        Shuffle(items);
        return items;
    }

    /// <summary><c>shuffle(x)</c>: from the last position down, swap position i with a uniform j in 0..i.</summary>
    public void Shuffle(int[] items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)Interval((uint)i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary><c>random_interval(max)</c>: 32-bit draws masked to max's bit length until one is at most max.</summary>
    private uint Interval(uint max)
    {
        uint mask = max;
        for (int shift = 1; shift < 32; shift <<= 1) mask |= mask >> shift;
        uint value;
        do value = generator.NextUInt32() & mask; while (value > max);
        return value;
    }
}
