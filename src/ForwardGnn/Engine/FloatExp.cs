using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ForwardGnn.Engine;

/// <summary>
/// e^x for float32, by the table method of the C library's <c>expf</c> on Linux (glibc since 2.27, as its x86-64 build
/// with fused multiply-adds runs it), so that the softmax cross-entropies keep their bits when they move from
/// <see cref="MathF.Exp"/> to vectors. With N = 32: k = round(x·N/ln 2) (by adding 1.5·2⁵² in double precision),
/// r = x·N/ln 2 − k, 2^(k/N) from a 32-entry table with k's high bits added to the exponent, and
/// e^x ≈ 2^(k/N) · (1 + c₂ r + c₁ r² + c₀ r³), all in double precision, rounded to float once at the end.
/// |x| ≥ 88, infinities and NaN take the scalar path, which treats them as the library does. A test holds the
/// result to <see cref="MathF.Exp"/> bit for bit.
/// </summary>
internal static class FloatExp
{
    private const int TableBits = 5, Size = 1 << TableBits;

    // The constants by their bit patterns (C# has no hexadecimal floating-point literals); the scalings by powers of
    // two are exact.
    private static readonly double InvLn2N = BitConverter.UInt64BitsToDouble(0x3ff71547652b82fe) * Size;   // 32 / ln 2
    private const double Shift = 6755399441055744.0;   // 1.5 · 2⁵²: adding it rounds to an integer
    private static readonly double C0 = BitConverter.UInt64BitsToDouble(0x3fac6af84b912394) / Size / Size / Size;
    private static readonly double C1 = BitConverter.UInt64BitsToDouble(0x3fcebfce50fac4f3) / Size / Size;
    private static readonly double C2 = BitConverter.UInt64BitsToDouble(0x3fe62e42ff0c52d6) / Size;
    private static readonly float Overflow = BitConverter.UInt32BitsToSingle(0x42b17217);    // log(2¹²⁸) rounded down
    private static readonly float Underflow = BitConverter.UInt32BitsToSingle(0xc2cff1b4);   // log(2⁻¹⁵⁰) rounded up

    /// <summary>bits(2^(i/32)) − (i ≪ 47): adding k ≪ 47 to entry k mod 32 gives bits(2^(k/32)).</summary>
    private static readonly ulong[] Table =
    [
        0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
        0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
        0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
        0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
        0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
        0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
        0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
        0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
    ];

    /// <summary>The top 12 bits of 88f's pattern: |x| at or above 88 (and infinities, NaN) leave the fast path.</summary>
    private const uint LargeTop = 0x42b;

    /// <summary>e^x.</summary>
    public static float Exp(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        if (((bits >> 20) & 0x7ff) >= LargeTop)
        {
            if (bits == 0xff800000) return 0f;                 // −∞
            if (((bits >> 20) & 0x7ff) >= 0x7f8) return x + x;  // +∞, NaN
            if (x > Overflow) return float.PositiveInfinity;
            if (x < Underflow) return 0f;
        }
        double xd = x;
        double kd = Math.FusedMultiplyAdd(InvLn2N, xd, Shift);
        ulong ki = BitConverter.DoubleToUInt64Bits(kd);
        kd -= Shift;
        double r = Math.FusedMultiplyAdd(InvLn2N, xd, -kd);
        double s = BitConverter.UInt64BitsToDouble(Table[ki % Size] + (ki << (52 - TableBits)));
        double z = Math.FusedMultiplyAdd(C0, r, C1);
        double y = Math.FusedMultiplyAdd(C2, r, 1);
        y = Math.FusedMultiplyAdd(z, r * r, y);
        return (float)(y * s);
    }

    /// <summary>values[i] ← e^values[i], in 16-float vectors where the hardware has AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from its first call: no slow first tier
    public static unsafe void ExpInPlace(float* values, long count)
    {
        long i = 0;
        if (Avx512F.IsSupported)
        {
            fixed (ulong* table = Table)
            {
                var low = Vector512.Load(table);
                var midLow = Vector512.Load(table + 8);
                var midHigh = Vector512.Load(table + 16);
                var high = Vector512.Load(table + 24);
                for (; i + 16 <= count; i += 16)
                {
                    Vector512<float> x = Vector512.Load(values + i);
                    if (Vector512.GreaterThanOrEqualAny((x.AsUInt32() >> 20) & Vector512.Create(0x7ffu), Vector512.Create(LargeTop)))
                    {
                        for (long j = i; j < i + 16; j++) values[j] = Exp(values[j]);
                        continue;
                    }
                    (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(x);
                    Vector512.Narrow(Eight(lower, low, midLow, midHigh, high), Eight(upper, low, midLow, midHigh, high)).Store(values + i);
                }
            }
        }
        for (; i < count; i++) values[i] = Exp(values[i]);
    }

    /// <summary><see cref="Exp"/>'s fast path for eight inputs in double precision; the table in four registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Eight(Vector512<double> xd, Vector512<ulong> low, Vector512<ulong> midLow, Vector512<ulong> midHigh, Vector512<ulong> high)
    {
        var invLn2N = Vector512.Create(InvLn2N);
        var shift = Vector512.Create(Shift);
        Vector512<double> kd = Vector512.FusedMultiplyAdd(invLn2N, xd, shift);
        Vector512<ulong> ki = kd.AsUInt64();
        kd -= shift;
        Vector512<double> r = Vector512.FusedMultiplyAdd(invLn2N, xd, -kd);
        // Entry k mod 32: each two-register permute picks among 16 entries by the index's low 4 bits, and bit 4
        // chooses between the two halves of the table.
        Vector512<ulong> entry = Vector512.ConditionalSelect(
            Vector512.Equals(ki & Vector512.Create(16ul), Vector512<ulong>.Zero),
            Avx512F.PermuteVar8x64x2(low, ki, midLow),
            Avx512F.PermuteVar8x64x2(midHigh, ki, high));
        Vector512<double> s = (entry + (ki << (52 - TableBits))).AsDouble();
        Vector512<double> z = Vector512.FusedMultiplyAdd(Vector512.Create(C0), r, Vector512.Create(C1));
        Vector512<double> y = Vector512.FusedMultiplyAdd(Vector512.Create(C2), r, Vector512.Create(1.0));
        y = Vector512.FusedMultiplyAdd(z, r * r, y);
        return y * s;
    }
}
