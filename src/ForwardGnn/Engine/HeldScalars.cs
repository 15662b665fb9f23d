using System.Collections.Concurrent;
using TorchSharp;

namespace ForwardGnn.Engine;

/// <summary>
/// Scalars that live as long as the process, for numbers passed to tensor operations in training loops.
/// TorchSharp turns a number argument (<c>x.sub(2.0)</c>) into a <see cref="Scalar"/> that only the garbage
/// collector frees; a collection during the native call can free it while libtorch still reads it, which fails
/// rarely and at random ("Unknown scalar type"). A held Scalar is never collected.
/// </summary>
public static class HeldScalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Held = new();

    /// <summary>The process-lifetime Scalar of <paramref name="value"/> (a float64 Scalar, as TorchSharp's own conversion).</summary>
    public static Scalar Of(double value) => Held.GetOrAdd(value, v => v.ToScalar());
}
