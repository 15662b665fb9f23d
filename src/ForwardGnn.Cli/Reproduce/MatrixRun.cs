namespace ForwardGnn.Cli.Reproduce;

/// <summary>
/// One training run of a reproduction matrix: a configuration on one split. It lives in its own folder,
/// <c>runs/&lt;task&gt;-&lt;dataset&gt;-&lt;algo&gt;-&lt;gnn&gt;-L&lt;layers&gt;/split&lt;k&gt;/</c> under the matrix's output folder.
/// </summary>
internal sealed record MatrixRun(string Task, string Dataset, string Gnn, string Algo, int Layers, int Split)
{
    public string Name => $"{Task}-{Dataset}-{Algo}-{Gnn}-L{Layers}";

    public string Folder(string root) => Path.Combine(root, "runs", Name, $"split{Split}");

    /// <summary>The <c>train</c> arguments of this run (the matrix adds its shared settings).</summary>
    public IEnumerable<string> TrainArguments(string root) =>
    [
        "train", "--task", Task, "--dataset", Dataset, "--gnn", Gnn, "--algo", Algo, "--layers", $"{Layers}",
        "--split", $"{Split}", "--json", "--out", Folder(root),
    ];

    public override string ToString() => $"{Name} split {Split}";
}
