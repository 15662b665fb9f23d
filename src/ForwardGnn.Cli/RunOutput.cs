using System.Text.Json;
using ForwardGnn.Cli.Commands;
using ForwardGnn.Cli.Protocol;
using ForwardGnn.Training;

namespace ForwardGnn.Cli;

/// <summary>
/// A run's folder: <c>config.yaml</c> (the resolved settings), <c>metrics.jsonl</c> (one line per validation check),
/// <c>checkpoints/</c> while the run is unfinished, and <c>result.json</c>, written through a temporary file so a
/// crash never leaves a partial result. A resumed run keeps the checkpoints and appends to the metrics.
/// </summary>
internal sealed class RunOutput : IDisposable
{
    private readonly string _folder;
    private readonly StreamWriter _metrics;

    private RunOutput(string folder, bool append)
    {
        _folder = folder;
        _metrics = new StreamWriter(Path.Combine(folder, "metrics.jsonl"), append) { AutoFlush = true };
        Checkpoints = new CheckpointFolder(Path.Combine(folder, "checkpoints"));
    }

    public CheckpointFolder Checkpoints { get; }

    /// <param name="resume">Keep what an earlier run with the same settings finished (refused if the settings differ).</param>
    public static RunOutput Create(string folder, TrainConfig config, int[] splits, bool resume)
    {
        string configPath = Path.Combine(folder, "config.yaml");
        string yaml = TrainSettings.ToYaml(config, splits);
        bool resuming = resume && File.Exists(configPath);
        if (resuming && !SameRun(configPath, config, splits))
            throw new UsageException($"{configPath}: the run in this folder used other settings; resume it with those, or use another --out");
        Directory.CreateDirectory(folder);
        File.Delete(Path.Combine(folder, "result.json"));
        var output = new RunOutput(folder, append: resuming);
        if (!resuming)
        {
            output.Checkpoints.Clear();
            Models.ModelFolder.Clear(folder);
        }
        File.WriteAllText(configPath, yaml);
        return output;
    }

    /// <summary>
    /// The earlier run's settings (keys it did not write take their defaults) equal these, apart from the thread
    /// count, which changes speed, not what is trained.
    /// </summary>
    private static bool SameRun(string earlierConfigPath, TrainConfig config, int[] splits)
    {
        TrainSettings settings = TrainSettings.Load(earlierConfigPath);
        TrainConfig earlier = settings.ApplyTo(new TrainConfig());
        return TrainSettings.ToYaml(earlier with { Threads = 1 }, settings.SplitsOr([0])) == TrainSettings.ToYaml(config with { Threads = 1 }, splits);
    }

    public void Append(ValidationRecord record) => _metrics.WriteLine(JsonSerializer.Serialize(record, JsonOutput.Options));

    public void Complete(TrainResult result)
    {
        AtomicFile.WriteAllText(Path.Combine(_folder, "result.json"), JsonSerializer.Serialize(result, JsonOutput.Options));
        Checkpoints.Clear();
    }

    public void Dispose() => _metrics.Dispose();
}
