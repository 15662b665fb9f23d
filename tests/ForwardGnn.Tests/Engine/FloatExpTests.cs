using ForwardGnn.Engine;

namespace ForwardGnn.Tests.Engine;

public class FloatExpTests
{
    private static readonly float[] Edges =
    [
        0f, -0f, 1e-45f, -1e-45f, 1e-30f, -1e-30f, 0.5f, -0.5f, 1f, -1f, 10f, -10f, 87.99f, -87.99f, 88f, -88f, 88.5f, -88.5f,
        88.72283f, 88.72284f, 89f, -89f, -100f, -103.97f, -103.972084f, -103.97209f, -104f, -150f, -1e30f, 1e30f,
        float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue, float.Epsilon,
    ];

    /// <summary>
    /// The scalar e^x equals the C library's (<see cref="MathF.Exp"/>) bit for bit on every 97th float pattern (44
    /// million values, every exponent, both signs) and on the edges of its special cases.
    /// </summary>
    [Fact]
    public void ScalarExpEqualsTheLibrarysBitForBit()
    {
        foreach (float x in Edges) AssertSame(MathF.Exp(x), FloatExp.Exp(x), x);
        long mismatches = 0;
        uint first = 0;
        Parallel.For(0, 2, half =>
        {
            for (ulong pattern = (ulong)half * 97; pattern <= uint.MaxValue; pattern += 2 * 97)
            {
                float x = BitConverter.UInt32BitsToSingle((uint)pattern);
                if (BitConverter.SingleToUInt32Bits(MathF.Exp(x)) != BitConverter.SingleToUInt32Bits(FloatExp.Exp(x)) && !float.IsNaN(x))
                {
                    if (Interlocked.Increment(ref mismatches) == 1) first = (uint)pattern;
                }
            }
        });
        Assert.True(mismatches == 0, $"{mismatches} inputs differ, the first 0x{first:x8}");
    }

    /// <summary>The vector pass equals the scalar e^x on every element, special values inside a vector and a ragged tail included.</summary>
    [Theory]
    [InlineData(16)]
    [InlineData(101)]
    [InlineData(4096)]
    public unsafe void VectorPassEqualsTheScalarOne(int length)
    {
        var random = new Random(length);
        float[] values = Enumerable.Range(0, length).Select(i => i % 29 == 0 ? Edges[i / 29 % Edges.Length] : (float)(random.NextDouble() * 200 - 160)).ToArray();
        float[] expected = values.Select(FloatExp.Exp).ToArray();
        fixed (float* v = values) FloatExp.ExpInPlace(v, length);
        for (int i = 0; i < length; i++) AssertSame(expected[i], values[i], float.NaN);
    }

    private static void AssertSame(float expected, float actual, float input) =>
        Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(actual) || (float.IsNaN(expected) && float.IsNaN(actual)),
            $"e^{input}: {expected} against {actual}");
}
