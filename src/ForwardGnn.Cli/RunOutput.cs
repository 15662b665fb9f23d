using System.Text;
using System.Text.Json;
using ForwardGnn.Cli.Commands;
using ForwardGnn.Cli.Protocol;
using ForwardGnn.Cli.RunFolders;
using ForwardGnn.Training;

namespace ForwardGnn.Cli;

/// <summary>
/// A run's folder: <c>config.yaml</c> (the resolved settings), <c>metrics.jsonl</c> (one line per validation check),
/// <c>checkpoints/</c> while the run is unfinished, and <c>result.json</c>, written through a temporary file so a
/// crash never leaves a partial result. A resumed run keeps the checkpoints and appends to the metrics, after cutting
/// off a last line whose write was cut short. The caller holds the folder's lock (<see cref="RunFolder.Open"/>).
/// </summary>
internal sealed class RunOutput : IDisposable
{
    private readonly string _folder;
    private readonly StreamWriter _metrics;

    private RunOutput(string folder, bool append)
    {
        _folder = folder;
        // A buffer larger than any record, so each record reaches the file in one write.
        _metrics = new StreamWriter(Path.Combine(folder, "metrics.jsonl"), append, new UTF8Encoding(false), 1 << 16) { AutoFlush = true };
        Checkpoints = new CheckpointFolder(Path.Combine(folder, "checkpoints"));
    }

    public CheckpointFolder Checkpoints { get; }

    /// <summary>
    /// The result of the finished run in <paramref name="folder"/> if it was trained with <paramref name="config"/>'s
    /// settings; null if there is none (or it cannot be read). Refuses a folder trained with other settings.
    /// </summary>
    public static TrainResult? Finished(string folder, TrainConfig config, int[] splits)
    {
        string configPath = Path.Combine(folder, "config.yaml"), resultPath = Path.Combine(folder, "result.json");
        if (!File.Exists(configPath) || !File.Exists(resultPath)) return null;
        RefuseOtherSettings(configPath, config, splits);
        try
        {
            return JsonSerializer.Deserialize<TrainResult>(File.ReadAllText(resultPath), JsonOutput.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <param name="resume">Keep what an earlier run with the same settings finished (refused if the settings differ).</param>
    public static RunOutput Create(string folder, TrainConfig config, int[] splits, bool resume)
    {
        string configPath = Path.Combine(folder, "config.yaml");
        string metricsPath = Path.Combine(folder, "metrics.jsonl");
        bool resuming = resume && File.Exists(configPath);
        if (resuming) RefuseOtherSettings(configPath, config, splits);
        Directory.CreateDirectory(folder);
        File.Delete(Path.Combine(folder, "result.json"));
        if (resuming) JsonLinesFile.DropTornTail(metricsPath);
        var output = new RunOutput(folder, append: resuming);
        if (!resuming)
        {
            output.Checkpoints.Clear();
            Models.ModelFolder.Clear(folder);
        }
        AtomicFile.WriteAllText(configPath, TrainSettings.ToYaml(config, splits));
        return output;
    }

    private static void RefuseOtherSettings(string configPath, TrainConfig config, int[] splits)
    {
        if (!SameRun(configPath, config, splits))
            throw new UsageException($"{configPath}: the run in this folder used other settings; resume it with those, or use another --out");
    }

    /// <summary>
    /// The earlier run's settings (keys it did not write take their defaults) equal these, apart from the thread
    /// count, which changes speed, not what is trained.
    /// </summary>
    private static bool SameRun(string earlierConfigPath, TrainConfig config, int[] splits)
    {
        TrainConfig earlier;
        int[] earlierSplits;
        try
        {
            TrainSettings settings = TrainSettings.Load(earlierConfigPath);
            earlier = settings.ApplyTo(new TrainConfig());
            earlierSplits = settings.SplitsOr([0]);
        }
        catch (Exception e) when (e is ArgumentException || (e is UsageException && !e.Message.StartsWith(earlierConfigPath, StringComparison.Ordinal)))
        {
            throw new UsageException($"{earlierConfigPath}: the run's settings cannot be read ({e.Message}); use another --out, or train without --resume");
        }
        return TrainSettings.ToYaml(earlier with { Threads = 1 }, earlierSplits) == TrainSettings.ToYaml(config with { Threads = 1 }, splits);
    }

    /// <summary>Appends one record as one whole line (one write of the line and its newline).</summary>
    public void Append(ValidationRecord record) => _metrics.Write(JsonSerializer.Serialize(record, JsonOutput.Options) + "\n");

    public void Complete(TrainResult result)
    {
        AtomicFile.WriteAllText(Path.Combine(_folder, "result.json"), JsonSerializer.Serialize(result, JsonOutput.Options));
        Checkpoints.Clear();
    }

    public void Dispose() => _metrics.Dispose();
}
