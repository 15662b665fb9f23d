using System.Globalization;
using ForwardGnn.Graphs;

namespace ForwardGnn.Data;

/// <summary>
/// A contextual stochastic block model generated in memory, for scale experiments:
/// <c>sbm:nodes=N,degree=D,features=F,classes=C,seed=S</c>. Each node gets a uniform class; N·D/2 undirected edges
/// are drawn (so about N·D directed edges), each joining two nodes of the same class with probability
/// <see cref="Homophily"/> and two uniform nodes otherwise; each node has <see cref="ActiveFeatures"/> binary
/// features: <see cref="InformativeFeatures"/> from its class's block of F/C features, the rest uniform. Labels are learnable from both the
/// features and the neighbourhood. Nothing is written to disk.
/// </summary>
public static class SyntheticSbm
{
    /// <summary>The dataset-name prefix that marks a synthetic graph spec.</summary>
    public const string Prefix = "sbm:";
    /// <summary>Probability that a drawn edge joins two nodes of the same class.</summary>
    public const double Homophily = 0.8;
    /// <summary>Non-zero (binary) features per node.</summary>
    public const int ActiveFeatures = 16;
    /// <summary>Of <see cref="ActiveFeatures"/>, how many come from the node's class block.</summary>
    public const int InformativeFeatures = 1;

    /// <summary>The generator's settings: N nodes, average degree D, F features, C classes and the random seed.</summary>
    public sealed record Parameters(int Nodes, int Degree, int Features, int Classes, int Seed)
    {
        /// <summary>The spec string (<c>sbm:nodes=…,seed=…</c>) that <see cref="Parse"/> reads back; the dataset's name.</summary>
        public string Name => $"{Prefix}nodes={Nodes},degree={Degree},features={Features},classes={Classes},seed={Seed}";
    }

    /// <summary>True when <paramref name="name"/> starts with <see cref="Prefix"/>.</summary>
    public static bool IsSpec(string name) => name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses the key=value list after "sbm:"; keys left out take 10,000 nodes, degree 10, 128 features, 10 classes, seed 0.</summary>
    public static Parameters Parse(string spec)
    {
        var values = new Dictionary<string, int> { ["nodes"] = 10_000, ["degree"] = 10, ["features"] = 128, ["classes"] = 10, ["seed"] = 0 };
        foreach (string pair in spec[Prefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] kv = pair.Split('=');
            if (kv.Length != 2 || !values.ContainsKey(kv[0]) || !int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out int v))
                throw new ArgumentException($"bad synthetic dataset '{EchoedText.Shorten(spec, 100)}': use sbm:nodes=N,degree=D,features=F,classes=C,seed=S");
            values[kv[0]] = v;
        }
        var p = new Parameters(values["nodes"], values["degree"], values["features"], values["classes"], values["seed"]);
        if (p.Nodes < 2 || p.Classes < 2 || p.Classes > p.Nodes || p.Features < p.Classes || p.Degree < 1 || (long)p.Nodes * p.Degree > 1_000_000_000)
            throw new ArgumentException($"bad synthetic dataset '{EchoedText.Shorten(spec, 100)}': needs nodes ≥ classes ≥ 2, features ≥ classes, degree ≥ 1, nodes·degree ≤ 10⁹");
        return p;
    }

    /// <summary>Generates the graph of <paramref name="p"/>, deterministic in its seed.</summary>
    /// <exception cref="DataFormatException">The graph would not fit in the memory budget (checked before anything is allocated).</exception>
    public static GraphDataset Generate(Parameters p)
    {
        // Per directed edge: the drawn pair, the built index's arrays and the CSR (about 40 bytes); per node: its label,
        // feature row and pointers.
        MemoryBudget.Require(p.Nodes * (double)p.Degree * 40 + p.Nodes * (Math.Min(ActiveFeatures, (double)p.Features) * 12 + 64), p.Name,
            $"generating {p.Nodes:N0} nodes with degree {p.Degree}");
        var rng = new Random(p.Seed);
        int[] labels = new int[p.Nodes];
        for (int i = 0; i < p.Nodes; i++) labels[i] = rng.Next(p.Classes);
        var members = Enumerable.Range(0, p.Nodes).ToLookup(i => labels[i]);
        int[][] byClass = Enumerable.Range(0, p.Classes).Select(c => members[c].ToArray()).ToArray();

        long pairs = (long)p.Nodes * p.Degree / 2;
        var source = new int[pairs];
        var target = new int[pairs];
        for (long e = 0; e < pairs; e++)
        {
            int u = rng.Next(p.Nodes);
            int[] pool = byClass[labels[u]];
            source[e] = u;
            target[e] = rng.NextDouble() < Homophily && pool.Length > 1 ? pool[rng.Next(pool.Length)] : rng.Next(p.Nodes);
        }
        EdgeIndex edges = EdgeIndex.Build(p.Nodes, source, target);

        int block = p.Features / p.Classes, active = Math.Min(ActiveFeatures, p.Features);
        var pointer = new int[p.Nodes + 1];
        var index = new List<int>(p.Nodes * active);
        var row = new SortedSet<int>();
        for (int i = 0; i < p.Nodes; i++)
        {
            row.Clear();
            while (row.Count < active)
                row.Add(row.Count < InformativeFeatures ? labels[i] * block + rng.Next(block) : rng.Next(p.Features));
            index.AddRange(row);
            pointer[i + 1] = index.Count;
        }
        var features = new CsrMatrix(p.Nodes, p.Features, pointer, [.. index], Enumerable.Repeat(1f, index.Count).ToArray());
        return new GraphDataset(p.Name, features, labels, p.Classes, edges, p.Name);
    }
}
