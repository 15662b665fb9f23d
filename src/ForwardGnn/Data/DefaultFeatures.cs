namespace ForwardGnn.Data;

/// <summary>
/// Features for a graph that comes without any: the identity (a one-hot node id per node, N features) up to
/// <see cref="IdentityLimit"/> nodes, one constant feature 1 per node above that (an identity would give the first
/// layer N·hidden weights). Also the bound on the size of user graphs.
/// </summary>
internal static class DefaultFeatures
{
    /// <summary>Largest graph that gets identity features.</summary>
    public const int IdentityLimit = 10_000;

    /// <summary>Largest node count a user graph may have; larger ids are refused before anything is allocated.</summary>
    public const int MaxNodes = 100_000_000;

    /// <summary>The default features of a graph with <paramref name="numNodes"/> nodes.</summary>
    public static CsrMatrix For(int numNodes)
    {
        bool identity = numNodes <= IdentityLimit;
        int[] pointer = Enumerable.Range(0, numNodes + 1).ToArray();
        int[] index = identity ? Enumerable.Range(0, numNodes).ToArray() : new int[numNodes];
        return new CsrMatrix(numNodes, identity ? numNodes : 1, pointer, index, Enumerable.Repeat(1f, numNodes).ToArray());
    }
}
