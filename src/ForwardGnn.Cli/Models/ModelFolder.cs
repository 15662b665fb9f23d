using ForwardGnn.Cli.Commands;
using ForwardGnn.Models;

namespace ForwardGnn.Cli.Models;

/// <summary>
/// Where <c>train</c> puts its models: a one-split run's model files sit in its <c>--out</c> folder; a run over several
/// splits keeps one model per split in <c>models/split&lt;N&gt;/</c>.
/// </summary>
internal static class ModelFolder
{
    public const string PerSplitFolder = "models";

    /// <summary>The folder a run on <paramref name="split"/> saves its model into.</summary>
    public static string For(string runFolder, int split, bool oneSplit) =>
        oneSplit ? runFolder : Path.Combine(runFolder, PerSplitFolder, $"split{split}");

    /// <summary>The model folder meant by <paramref name="path"/>: itself, or the only model of a run folder.</summary>
    public static string Resolve(string path)
    {
        if (File.Exists(Path.Combine(path, GnnModel.CardFileName)) || !Directory.Exists(Path.Combine(path, PerSplitFolder))) return path;
        string[] splits = Directory.GetDirectories(Path.Combine(path, PerSplitFolder))
            .Where(d => File.Exists(Path.Combine(d, GnnModel.CardFileName))).Order().ToArray();
        return splits.Length == 1
            ? splits[0]
            : throw new UsageException($"{path}: the run kept one model per split; give --model {Path.Combine(path, PerSplitFolder, "split<N>")} " +
                $"({string.Join(", ", splits.Select(Path.GetFileName))})");
    }

    /// <summary>Copies the models a run folder holds for <paramref name="splits"/> into <paramref name="saveFolder"/>, laid out alike.</summary>
    public static void Copy(string runFolder, string saveFolder, IReadOnlyList<int> splits)
    {
        foreach (int split in splits)
        {
            string from = For(runFolder, split, splits.Count == 1), to = For(saveFolder, split, splits.Count == 1);
            if (!File.Exists(Path.Combine(from, GnnModel.CardFileName))) continue;
            foreach (string file in new[] { GnnModel.WeightsFileName, GnnModel.CardFileName })
                OutputFile.Write(Path.Combine(to, file), stream =>
                {
                    using FileStream source = File.OpenRead(Path.Combine(from, file));
                    source.CopyTo(stream);
                });
        }
    }

    /// <summary>Removes the model files an earlier run wrote into <paramref name="runFolder"/> (and nothing else).</summary>
    public static void Clear(string runFolder)
    {
        foreach (string file in new[] { GnnModel.CardFileName, GnnModel.WeightsFileName })
            File.Delete(Path.Combine(runFolder, file));
        string perSplit = Path.Combine(runFolder, PerSplitFolder);
        if (!Directory.Exists(perSplit)) return;
        foreach (string dir in Directory.GetDirectories(perSplit, "split*"))
        {
            foreach (string file in new[] { GnnModel.CardFileName, GnnModel.WeightsFileName }) File.Delete(Path.Combine(dir, file));
            if (!Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
        }
        if (!Directory.EnumerateFileSystemEntries(perSplit).Any()) Directory.Delete(perSplit);
    }
}
