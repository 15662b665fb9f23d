using System.Collections.Concurrent;
using TorchSharp;

namespace ForwardGnn.Engine;

/// <summary>
/// Scalars that live as long as the process, for numbers passed to tensor operations in training loops.
/// TorchSharp turns a number argument (<c>x.sub(2.0)</c>) into a <see cref="Scalar"/> that only the garbage
/// collector frees; a collection during the native call can free it while libtorch still reads it, which fails
/// rarely and at random ("Unknown scalar type"). A held Scalar is never collected. The same holds for the Scalars
/// TorchSharp makes inside some overloads: <c>add(b)</c> passes an implicit alpha 1 (write <c>add(b, One)</c>) and
/// <c>square()</c> an implicit exponent 2 (write <c>pow(Two)</c>); a test keeps the library off all such overloads.
/// </summary>
internal static class HeldScalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Held = new();

    /// <summary>The process-lifetime Scalar of <paramref name="value"/> (a float64 Scalar, as TorchSharp's own conversion).</summary>
    public static Scalar Of(double value) => Held.GetOrAdd(value, v => v.ToScalar());

    /// <summary>1, the alpha of <c>a.add(b, One)</c> = a + b.</summary>
    public static readonly Scalar One = Of(1);

    /// <summary>2, the exponent of <c>a.pow(Two)</c> = a².</summary>
    public static readonly Scalar Two = Of(2);
}
