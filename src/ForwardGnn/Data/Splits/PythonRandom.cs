namespace ForwardGnn.Data.Splits;

/// <summary>The parts of CPython's <c>random.Random</c> that PyG's negative sampling uses, draw for draw.</summary>
internal sealed class PythonRandom(ulong seed)
{
    private readonly MersenneTwister generator = MersenneTwister.FromPythonSeed(seed);

    /// <summary><c>getrandbits(k)</c> for 1 ≤ k ≤ 64: 32-bit words filled least significant first, the last one
    /// cut to its top bits.</summary>
    public ulong GetRandBits(int k)
    {
        ulong result = 0;
        for (int shift = 0; k > 0; shift += 32, k -= 32)
        {
            uint word = generator.NextUInt32();
            if (k < 32) word >>= 32 - k;
            result |= (ulong)word << shift;
        }
        return result;
    }

    /// <summary><c>_randbelow(n)</c>: draws of n's bit length until one is below n.</summary>
    public long RandBelow(long n)
    {
        int bits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)n);
        ulong r;
        do r = GetRandBits(bits); while (r >= (ulong)n);
        return (long)r;
    }

    /// <summary>
    /// <c>random.sample(range(population), k)</c>: k distinct values in draw order. Python picks from a shrinking
    /// pool when the population is small next to k, and otherwise redraws values already taken.
    /// </summary>
    public long[] Sample(long population, int k)
    {
        if (k < 0 || k > population) throw new ArgumentOutOfRangeException(nameof(k), "sample larger than population or negative");
        var result = new long[k];
        long setSize = 21;
        if (k > 5) setSize += (long)Math.Pow(4, Math.Ceiling(Math.Log(k * 3.0) / Math.Log(4)));
        if (population <= setSize)
        {
            long[] pool = new long[population];
            for (int i = 0; i < pool.Length; i++) pool[i] = i;
            for (int i = 0; i < k; i++)
            {
                long j = RandBelow(population - i);
                result[i] = pool[j];
                pool[j] = pool[population - i - 1];
            }
            return result;
        }
        var selected = new HashSet<long>(k);
        for (int i = 0; i < k; i++)
        {
            long j = RandBelow(population);
            while (!selected.Add(j)) j = RandBelow(population);
            result[i] = j;
        }
        return result;
    }
}
