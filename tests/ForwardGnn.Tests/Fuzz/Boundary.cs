using System.Globalization;

namespace ForwardGnn.Tests.Fuzz;

/// <summary>Values at the edges of what readers must survive: around 0, around 2^31 and 2^63, floats that are not integers.</summary>
internal static class Boundary
{
    public static readonly long[] Integers =
    [
        0, 1, 2, 3, 5, 7, -1, -2, 255, 256, 65535, 65536, 4004, 9_999_999, 10_000_001, 100_000_000,
        int.MaxValue - 1, int.MaxValue, (long)int.MaxValue + 1, int.MinValue, uint.MaxValue, (long)uint.MaxValue + 1,
        1L << 40, 1L << 62, long.MaxValue, long.MinValue,
    ];

    public static readonly string[] NumberTexts =
    [
        "0", "1", "-1", "2147483647", "2147483648", "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808",
        "99999999999999999999999", "1e300", "-1e300", "1e-300", "nan", "NaN", "inf", "-inf", "3.0", "2.5", "0x10", "", " ", "1L", "+1", "1_000",
    ];

    public static T Pick<T>(this Random rng, IReadOnlyList<T> values) => values[rng.Next(values.Count)];

    /// <summary>A boundary integer, or now and then a small random one.</summary>
    public static long Integer(Random rng) => rng.Next(3) == 0 ? rng.Next(-3, 12) : rng.Pick(Integers);

    /// <summary>A number as text: a boundary integer or one of the troublesome spellings.</summary>
    public static string NumberText(Random rng) =>
        rng.Next(2) == 0 ? Integer(rng).ToString(CultureInfo.InvariantCulture) : rng.Pick(NumberTexts);

    /// <summary>Bytes with a few flipped, a cut, or a run of garbage: the unstructured mutation, applied now and then on top.</summary>
    public static byte[] Damage(byte[] original, Random rng)
    {
        if (original.Length == 0) return [(byte)rng.Next(256)];
        byte[] bytes = (byte[])original.Clone();
        switch (rng.Next(3))
        {
            case 0:
                for (int k = rng.Next(1, 6); k > 0; k--) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
                return bytes;
            case 1:
                return bytes[..rng.Next(bytes.Length)];
            default:
                int start = rng.Next(bytes.Length), length = Math.Min(rng.Next(1, 48), bytes.Length - start);
                rng.NextBytes(bytes.AsSpan(start, length));
                return bytes;
        }
    }
}
