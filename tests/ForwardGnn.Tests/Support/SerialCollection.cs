namespace ForwardGnn.Tests.Support;

/// <summary>
/// Test classes that compare against an oracle run in the same process, bit for bit: they seed libtorch's global
/// generator and depend on the global thread count, so no other test may run beside them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial: global libtorch state";
}
