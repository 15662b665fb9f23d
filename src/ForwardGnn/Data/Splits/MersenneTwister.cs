namespace ForwardGnn.Data.Splits;

/// <summary>
/// MT19937, the 32-bit generator behind <c>torch.manual_seed</c> on the CPU, NumPy's legacy <c>RandomState</c> and
/// Python's <c>random</c>. They seed it in two ways: torch and NumPy put the seed itself into the state
/// (<see cref="FromSeed"/>), Python feeds the seed's 32-bit words in as a key (<see cref="FromPythonSeed"/>). With
/// these, a split draws what PyG and scikit-learn draw.
/// </summary>
internal sealed class MersenneTwister
{
    private const int N = 624, M = 397;
    private readonly uint[] state = new uint[N];
    private int next = N;

    private MersenneTwister() { }

    /// <summary>The generator of <c>torch.manual_seed(seed)</c> and of <c>numpy.random.RandomState(seed)</c> for a
    /// seed below 2³² (MT19937's <c>init_genrand</c>).</summary>
    public static MersenneTwister FromSeed(ulong seed)
    {
        var g = new MersenneTwister();
        g.Initialise((uint)seed);
        return g;
    }

    /// <summary>The generator of Python's <c>random.seed(seed)</c> for a non-negative int: <c>init_by_array</c> with
    /// the seed's 32-bit words, least significant first (one word 0 for seed 0).</summary>
    public static MersenneTwister FromPythonSeed(ulong seed)
    {
        uint[] key = seed >> 32 == 0 ? [(uint)seed] : [(uint)seed, (uint)(seed >> 32)];
        var g = new MersenneTwister();
        g.Initialise(19650218u);
        uint[] mt = g.state;
        int i = 1, j = 0;
        for (int k = Math.Max(N, key.Length); k > 0; k--)
        {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint)j;
            i++;
            j++;
            if (i >= N) { mt[0] = mt[N - 1]; i = 1; }
            if (j >= key.Length) j = 0;
        }
        for (int k = N - 1; k > 0; k--)
        {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint)i;
            i++;
            if (i >= N) { mt[0] = mt[N - 1]; i = 1; }
        }
        mt[0] = 0x80000000u;
        return g;
    }

    public uint NextUInt32()
    {
        if (next >= N) Twist();
        uint y = state[next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        return y ^ (y >> 18);
    }

    private void Initialise(uint seed)
    {
        state[0] = seed;
        for (int i = 1; i < N; i++)
            state[i] = 1812433253u * (state[i - 1] ^ (state[i - 1] >> 30)) + (uint)i;
        next = N;
    }

    private void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (state[i] & 0x80000000u) | (state[(i + 1) % N] & 0x7fffffffu);
            state[i] = state[(i + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0dfu : 0u);
        }
        next = 0;
    }
}
