using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;

namespace ForwardGnn.Tests.Support;

/// <summary>The real datasets beside the checkout (../shared/datasets), which CI provides.</summary>
internal static class SharedData
{
    public static string Root => DataRootSearch.FindSharedDatasets()
        ?? throw new InvalidOperationException("shared/datasets was not found beside the checkout");

    public static DataRoots Roots => new([Root], Root);

    private static readonly Dictionary<string, GraphDataset> Cache = [];

    /// <summary>Loads a real dataset once per test run.</summary>
    public static GraphDataset Load(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out GraphDataset? data))
                Cache[name] = data = new DatasetLoader(Roots).Load(name);
            return data;
        }
    }
}
