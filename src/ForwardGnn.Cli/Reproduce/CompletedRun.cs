using System.Text.Json;
using ForwardGnn.Cli.Commands;

namespace ForwardGnn.Cli.Reproduce;

/// <summary>
/// Reads a run folder's <c>result.json</c>. A run counts as complete only if that file parses, names the run's
/// configuration and split, and was trained with the epoch budget asked for; anything else is run again.
/// </summary>
internal static class CompletedRun
{
    public static TrainResult? Read(string folder)
    {
        string path = Path.Combine(folder, "result.json");
        if (!File.Exists(path)) return null;
        try
        {
            TrainResult? result = JsonSerializer.Deserialize<TrainResult>(File.ReadAllText(path), JsonOutput.Options);
            return result is { PerRun.Count: 1, Splits.Length: 1 } && !double.IsNaN(result.Test) ? result : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static bool IsComplete(MatrixRun run, string root, int epochs)
    {
        string folder = run.Folder(root);
        if (Read(folder) is not { } r || r.Dataset != run.Dataset || r.Algo != run.Algo || r.Gnn != run.Gnn
            || r.Task != run.Task || r.Layers != run.Layers || r.Splits[0] != run.Split)
            return false;
        return EpochsOf(folder) == epochs;
    }

    /// <summary>
    /// A run folder left by a matrix with another epoch budget cannot be resumed (train refuses other settings), so its
    /// settings and result are removed and the run starts afresh (train then replaces the rest of its own files).
    /// </summary>
    public static void DiscardIfOtherBudget(MatrixRun run, string root, int epochs)
    {
        string folder = run.Folder(root);
        if (!File.Exists(Path.Combine(folder, "config.yaml")) || EpochsOf(folder) == epochs) return;
        File.Delete(Path.Combine(folder, "result.json"));
        File.Delete(Path.Combine(folder, "config.yaml"));
    }

    private static int? EpochsOf(string folder)
    {
        try
        {
            return TrainSettings.Load(Path.Combine(folder, "config.yaml")).Epochs;
        }
        catch (UsageException)
        {
            return null;
        }
    }
}
