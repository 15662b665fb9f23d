using System.Text.Json;
using ForwardGnn.Cli.Commands;
using ForwardGnn.Training;

namespace ForwardGnn.Cli;

/// <summary>
/// A run's folder: <c>config.yaml</c> (the resolved settings), <c>metrics.jsonl</c> (one line per validation check)
/// and <c>result.json</c>, written through a temporary file so a crash never leaves a partial result.
/// </summary>
internal sealed class RunOutput : IDisposable
{
    private readonly string _folder;
    private readonly StreamWriter _metrics;

    private RunOutput(string folder)
    {
        _folder = folder;
        _metrics = new StreamWriter(Path.Combine(folder, "metrics.jsonl")) { AutoFlush = true };
    }

    public static RunOutput Create(string folder, TrainConfig config)
    {
        Directory.CreateDirectory(folder);
        File.Delete(Path.Combine(folder, "result.json"));
        File.WriteAllText(Path.Combine(folder, "config.yaml"), TrainSettings.ToYaml(config));
        return new RunOutput(folder);
    }

    public void Append(ValidationRecord record) => _metrics.WriteLine(JsonSerializer.Serialize(record, JsonOutput.Options));

    public void Complete(TrainResult result)
    {
        string path = Path.Combine(_folder, "result.json");
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(result, JsonOutput.Options));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public void Dispose() => _metrics.Dispose();
}
