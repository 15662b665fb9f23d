using ForwardGnn.Data.Formats;

namespace ForwardGnn.Data;

/// <summary>The datasets of the paper plus the other members of the same PyG families.</summary>
public static class DatasetCatalog
{
    private const string Graph2Gauss = "https://github.com/abojchevski/graph2gauss/raw/master/data/";
    private const string GnnBenchmark = "https://github.com/shchur/gnn-benchmark/raw/master/data/npz/";

    /// <summary>Every dataset the tool knows by name.</summary>
    public static IReadOnlyList<DatasetInfo> All { get; } =
    [
        Citation("Cora_ML", ["cora_ml", "coraml"], "cora_ml.npz", new(2995, 16316, 2879, 7)),
        Citation("CiteSeer", ["citeseer"], "citeseer.npz", new(4230, 10674, 602, 6), "citeseer_full.npz"),
        Citation("PubMed", ["pubmed"], "pubmed.npz", new(19717, 88648, 500, 3)),
        Citation("Cora", ["cora", "cora_full"], "cora.npz", null),
        Benchmark("Amazon-Photo", ["photo", "amazon_photo"], "amazon_electronics_photo.npz", new(7650, 238162, 745, 8), "amazon_photo.npz"),
        Benchmark("Amazon-Computers", ["computers", "amazon_computers"], "amazon_electronics_computers.npz", new(13752, 491722, 767, 10), "amazon_computers.npz"),
        Benchmark("Coauthor-CS", ["cs", "coauthor_cs"], "ms_academic_cs.npz", new(18333, 163788, 6805, 15)),
        Benchmark("Coauthor-Physics", ["physics", "coauthor_physics"], "ms_academic_phy.npz", new(34493, 495924, 8415, 5)),
        new("GitHub", ["github", "musae_github"], [new GitHubNpzFormat(), new MusaeGitHubFormat()],
            new Uri("https://graphmining.ai/datasets/ptg/github.npz"), null),
        Planetoid("Cora", "cora", new(2708, 10556, 1433, 7)),
        Planetoid("CiteSeer", "citeseer", new(3327, 9104, 3703, 6)),
        Planetoid("PubMed", "pubmed", new(19717, 88648, 500, 3)),
    ];

    /// <summary>Finds a dataset by paper name or alias, case-insensitively; null when none has it.</summary>
    public static DatasetInfo? TryFind(string nameOrAlias) => All.FirstOrDefault(d => d.Matches(nameOrAlias));

    /// <summary>Finds a dataset by paper name or alias, case-insensitively.</summary>
    /// <exception cref="ArgumentException">No dataset has that name; the message suggests the nearest and lists the known ones.</exception>
    public static DatasetInfo Find(string nameOrAlias) =>
        All.FirstOrDefault(d => d.Matches(nameOrAlias))
        ?? throw new ArgumentException($"unknown dataset '{EchoedText.Shorten(nameOrAlias)}'; did you mean '{Nearest(nameOrAlias)}'? " +
            $"(known: {string.Join(", ", All.Select(d => d.Name))})");

    /// <summary>The dataset whose name or an alias is the fewest single-character edits away.</summary>
    /// <remarks>Only the first 64 characters are compared: the distance costs time in proportion to the text's length.</remarks>
    private static string Nearest(string text) => All
        .MinBy(d => d.Aliases.Append(d.Name).Min(name => EditDistance(text[..Math.Min(text.Length, 64)].ToLowerInvariant(), name.ToLowerInvariant())))!.Name;

    private static int EditDistance(string a, string b)
    {
        int[] previous = Enumerable.Range(0, b.Length + 1).ToArray(), current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static DatasetInfo Citation(string name, string[] aliases, string file, DatasetCounts? counts, params string[] otherFiles) =>
        new("CitationFull-" + name, aliases, [new Graph2GaussNpzFormat([file, .. otherFiles])], new Uri(Graph2Gauss + file), counts);

    /// <summary>A Planetoid folder of raw <c>ind.&lt;prefix&gt;.*</c> files; not downloadable (eight files).</summary>
    private static DatasetInfo Planetoid(string name, string prefix, DatasetCounts counts) =>
        new("Planetoid-" + name, [$"planetoid-{prefix}", $"planetoid_{prefix}"], [new PlanetoidFormat(prefix)], null, counts);

    private static DatasetInfo Benchmark(string name, string[] aliases, string file, DatasetCounts counts, params string[] otherFiles) =>
        new(name, aliases, [new Graph2GaussNpzFormat([file, .. otherFiles])], new Uri(GnnBenchmark + file), counts);
}
