using System.Text.Json;

namespace ForwardGnn.Cli.Reproduce;

/// <summary>
/// Finished <c>train</c> results (<see cref="TrainResult"/>, as <c>result.json</c> and <c>train --json</c> write them):
/// those under a matrix folder (one per run folder), or those of a results file (one JSON line each).
/// </summary>
internal static class RunRecords
{
    /// <summary>Every complete run under <c>root/runs</c> (see <see cref="CompletedRun.Read"/>).</summary>
    public static IEnumerable<TrainResult> InMatrix(string root)
    {
        string runs = Path.Combine(root, "runs");
        if (!Directory.Exists(runs)) yield break;
        foreach (string file in Directory.EnumerateFiles(runs, "result.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            if (CompletedRun.Read(Path.GetDirectoryName(file)!) is { } result)
                yield return result;
    }

    /// <summary>The records of a results file; a line that does not parse (a torn last line) is skipped.</summary>
    public static IEnumerable<TrainResult> InFile(string path)
    {
        foreach (string line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            TrainResult? result;
            try
            {
                result = JsonSerializer.Deserialize<TrainResult>(line, JsonOutput.Options);
            }
            catch (JsonException)
            {
                continue;
            }
            if (result is { PerRun.Count: > 0 }) yield return result;
        }
    }

    /// <summary>Writes <paramref name="records"/> as a results file, one JSON line each, through a temporary file.</summary>
    public static void Write(string path, IEnumerable<TrainResult> records)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Training.AtomicFile.WriteAllText(path, string.Concat(records.Select(r => JsonSerializer.Serialize(r with { Bench = null }, JsonOutput.Options) + "\n")));
    }
}
