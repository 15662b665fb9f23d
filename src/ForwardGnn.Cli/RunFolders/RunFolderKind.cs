namespace ForwardGnn.Cli.RunFolders;

/// <summary>
/// A kind of folder the tool writes (a train run, a saved model, a reproduce matrix) and the names it writes at its top
/// level. A folder holding only such names (and their <c>.tmp</c> twins) was written by the tool before folders carried a
/// marker, so it counts as the tool's own.
/// </summary>
internal sealed record RunFolderKind(string Name, IReadOnlyList<string> Names)
{
    /// <summary>A <c>train --out</c> folder (which also receives <c>train.log</c> from <c>reproduce</c>).</summary>
    public static readonly RunFolderKind Train = new("train run",
        ["config.yaml", "metrics.jsonl", "result.json", "curves.png", "train.log", "model.json", "weights.safetensors", "checkpoints", "models"]);

    /// <summary>A <c>train --save</c> folder.</summary>
    public static readonly RunFolderKind Model = new("model", ["model.json", "weights.safetensors", "models"]);

    /// <summary>A <c>reproduce --out</c> folder.</summary>
    public static readonly RunFolderKind Matrix = new("reproduce matrix", ["runs", "summary.csv", "summary.md", "plots"]);

    /// <summary>Whether <paramref name="name"/> (a top-level entry) is one this kind of folder writes.</summary>
    public bool Writes(string name) =>
        Names.Contains(name) || (name.EndsWith(".tmp", StringComparison.Ordinal) && Names.Contains(name[..^4]));
}
