using System.Text;

namespace ForwardGnn.Tests.Fuzz;

/// <summary>
/// Builds a train run folder (marker, lock file, config.yaml, metrics.jsonl, result.json, checkpoints/) and mutates what
/// the tool reads back: the marker (another kind, garbage, a large file), the lock file's content, the settings (a key given a
/// boundary or huge value, YAML garbage, a file over the size limit), the metrics (a torn last line, a bad middle line),
/// the result, and foreign files beside ours.
/// </summary>
internal static class RunFolderMutator
{
    public const string Config = "dataset: sbm:nodes=300,degree=5,features=16,classes=3,seed=1\ntask: node\ngnn: gcn\nalgo: sf\nlayers: 2\n" +
        "splits: 0\nepochs: 6\npatience: 100\nvalEvery: 2\nlr: 0.001\nweightDecay: 0.0005\nhidden: 128\nseed: 100\nthreads: 1\nonNan: stop\n";

    private const string Metric = "{\"split\":0,\"epoch\":1,\"layer\":1,\"loss\":1.5,\"val\":40,\"elapsedSeconds\":0.1}";

    public static void Write(string folder, Random rng)
    {
        Directory.CreateDirectory(Path.Combine(folder, "checkpoints"));
        string marker = "forwardgnn train run\n", lockContent = "", config = Config, result = "{\"test\": 50}";
        var metrics = new List<string> { Metric, Metric, Metric };
        switch (rng.Next(6))
        {
            case 0: marker = rng.Pick(["forwardgnn model\n", "forwardgnn reproduce matrix\n", "", "\u0000\u0001", "forwardgnn " + new string('x', 5000), "garbage"]); break;
            case 1: lockContent = rng.Pick(["-1", "99999999999", "abc", new string('9', 3000)]); break;
            case 2: config = MutateConfig(rng); break;
            case 3:
                if (rng.Next(2) == 0) metrics[^1] = metrics[^1][..rng.Next(metrics[^1].Length)] + "\u0000";
                else metrics[rng.Next(metrics.Count)] = rng.Pick(["{", "null", "[]", "{\"split\": \"x\"}", new string('{', 5000), "\"text\""]);
                break;
            case 4: result = rng.Pick(["", "{", "null", "[]", "{\"perRun\": 5}", "{\"test\": \"NaN\"}"]); break;
            default: File.WriteAllText(Path.Combine(folder, rng.Pick(["notes.txt", "checkpoints/mine.pt", "model.pt"])), "the user's"); break;
        }
        if (rng.Next(8) != 0) File.WriteAllText(Path.Combine(folder, ".forwardgnn-run"), marker);
        File.WriteAllText(Path.Combine(folder, ".forwardgnn.lock"), lockContent);
        if (rng.Next(10) != 0) File.WriteAllText(Path.Combine(folder, "config.yaml"), config);
        string text = string.Join("\n", metrics);
        File.WriteAllText(Path.Combine(folder, "metrics.jsonl"), rng.Next(2) == 0 ? text : text + "\n");
        if (rng.Next(3) != 0) File.WriteAllText(Path.Combine(folder, "result.json"), result);
    }

    private static string MutateConfig(Random rng)
    {
        string[] lines = Config.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int i = rng.Next(lines.Length);
        string key = lines[i].Split(':')[0];
        lines[i] = rng.Next(5) switch
        {
            0 => $"{key}: {Boundary.NumberText(rng)}",
            1 => $"{key}: {new string('z', rng.Next(1, 70_000))}",
            2 => $"{key}: [{Boundary.NumberText(rng)}, {{a: b}}]",
            3 => rng.Pick(["&a [*a]", "!!binary AAAA", "key: 'unterminated", "- - -", "\t\u0000"]),
            _ => $"{key}:",
        };
        return string.Join("\n", lines) + "\n";
    }
}
