using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ForwardGnn.Training;
using static TorchSharp.torch;

namespace ForwardGnn.Cli.Protocol;

/// <summary>
/// Where a run keeps what it has finished, so an interrupted run can resume: each finished layer of a layer-wise
/// algorithm (its restored-best parameters, epochs and best validation metric) and each finished split's result.
/// Every file is written to a temporary name and renamed, and a layer's parameters are renamed into place before its
/// summary, which is what marks it finished, so a kill at any point leaves only complete checkpoints.
/// </summary>
internal sealed partial class CheckpointFolder(string folder) : ILayerCheckpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new NonFiniteAsNullConverter() } };

    /// <summary>The folder holding the checkpoints (created on the first save).</summary>
    public string Folder { get; } = folder;

    private sealed record LayerSummary(int Epochs, double BestVal);

    /// <summary>Loads layer <paramref name="layer"/> of the run on <paramref name="split"/> into <paramref name="module"/> if it was saved.</summary>
    public (int Epochs, double BestVal)? TryRestoreLayer(int split, int layer, nn.Module module)
    {
        string stem = Path.Combine(Folder, $"split{split}-layer{layer}");
        if (!File.Exists(stem + ".json") || !File.Exists(stem + ".pt")) return null;
        LayerSummary summary = ReadJson<LayerSummary>(stem + ".json");
        try
        {
            module.load(stem + ".pt");
        }
        catch (Exception e)
        {
            // Whatever a damaged file makes TorchSharp's reader do, an out-of-memory included (it allocates the byte
            // count a damaged header declares, which fails and is freed at once), the file is named, not the reader's fault.
            throw Corrupt(stem + ".pt", e);
        }
        return (summary.Epochs, summary.BestVal);
    }

    /// <summary>Saves the parameters of layer <paramref name="layer"/> of the run on <paramref name="split"/>, then its summary (epochs trained, best validation score), which marks it finished.</summary>
    public void SaveLayer(int split, int layer, nn.Module module, int epochs, double bestVal)
    {
        Directory.CreateDirectory(Folder);
        string stem = Path.Combine(Folder, $"split{split}-layer{layer}");
        module.save(stem + ".pt.tmp");
        File.Move(stem + ".pt.tmp", stem + ".pt", overwrite: true);
        AtomicFile.WriteAllText(stem + ".json", JsonSerializer.Serialize(new LayerSummary(epochs, bestVal), Json));
    }

    /// <summary>The finished result of the run on <paramref name="split"/>, or null when it did not finish.</summary>
    public RunResult? TryLoadRun(int split)
    {
        string path = Path.Combine(Folder, $"split{split}.json");
        return File.Exists(path) ? ReadJson<RunResult>(path) : null;
    }

    /// <summary>Saves a finished run's result atomically and returns it.</summary>
    public RunResult SaveRun(RunResult result)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteAllText(Path.Combine(Folder, $"split{result.Split.ToString(CultureInfo.InvariantCulture)}.json"), JsonSerializer.Serialize(result, Json));
        return result;
    }

    /// <summary>A checkpoint's JSON; a damaged or hand-edited file is a <see cref="Data.DataFormatException"/> naming it.</summary>
    private static T ReadJson<T>(string path) where T : class
    {
        try
        {
            if (new FileInfo(path).Length > 1 << 24) throw new JsonException("larger than any checkpoint summary");
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw Corrupt(path, e);
        }
    }

    private static Data.DataFormatException Corrupt(string path, Exception e) =>
        new(path, $"checkpoint is damaged ({Data.EchoedText.Shorten(e.Message.ReplaceLineEndings(" "), 100)}); " +
            "delete it to retrain that part, or train without --resume", e);

    /// <summary>Deletes every checkpoint file this class writes, then the folder if nothing else is left in it.</summary>
    /// <remarks>Only its own files: a user's file or subfolder that happens to sit there is left alone.</remarks>
    public void Clear()
    {
        if (!Directory.Exists(Folder)) return;
        foreach (string file in Directory.EnumerateFiles(Folder, "split*"))
            if (OwnFileName().IsMatch(Path.GetFileName(file))) File.Delete(file);
        if (!Directory.EnumerateFileSystemEntries(Folder).Any()) Directory.Delete(Folder);
    }

    [GeneratedRegex(@"^split\d+(-layer\d+\.(pt|json)|\.json)(\.tmp)?$")]
    private static partial Regex OwnFileName();
}
