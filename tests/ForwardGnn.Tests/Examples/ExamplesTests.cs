using System.Diagnostics;
using System.Text.RegularExpressions;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Examples;

/// <summary>
/// The runnable examples (built with the tests), run as a user runs them, each in a fresh working folder: they must
/// finish and print what their comments promise. They run alone (each is a process that uses every core).
/// </summary>
[Collection(SerialCollection.Name)]   // each example is a process of its own using every core
public partial class ExamplesTests
{
    private static (int ExitCode, string Output) RunExample(string name, string workingDirectory)
    {
        string dll = Path.Combine(RepositoryRoot.Path, "examples", name, "bin", "Release", "net10.0", name + ".dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory,
            Environment = { [ForwardGnn.Data.DataRoots.EnvironmentVariable] = SharedData.Root },   // where a user points it at the datasets
        };
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, $"{name} did not finish in 10 minutes: " + stdout.Result + stderr.Result);
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void QuickStartPredictsWithTheLoadedModelWhatTheRunReported()
    {
        using var dir = new TempDir();
        (int exit, string output) = RunExample("QuickStart", dir.Path);
        Assert.True(exit == 0, output);
        Match m = AccuracyLine().Match(output);
        Assert.True(m.Success, output);
        Assert.Equal(m.Groups[2].Value, m.Groups[1].Value);
        Assert.InRange(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 80, 100);
        Assert.True(File.Exists(dir["quickstart-model/model.json"]));
        int lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "examples", "QuickStart", "Program.cs")).Length;
        Assert.InRange(lines, 1, 20);
    }

    [Fact]
    public void LinkPredictionScoresPairsAndExportsEmbeddings()
    {
        using var dir = new TempDir();
        (int exit, string output) = RunExample("LinkPrediction", dir.Path);
        Assert.True(exit == 0, output);
        Match m = AucLine().Match(output);
        Assert.True(m.Success, output);
        Assert.Equal(m.Groups[2].Value, m.Groups[1].Value);
        Assert.Contains("embeddings.csv: 2995 × 256", output);
        Assert.Equal(2995, File.ReadLines(dir["embeddings.csv"]).Count());
    }

    [Fact]
    public void OwnGraphTrainsOnACsvFolderAndWritesPredictions()
    {
        using var dir = new TempDir();
        (int exit, string output) = RunExample("OwnGraph", dir.Path);
        Assert.True(exit == 0, output);
        Assert.Contains("240 nodes, 1454 directed edges, 16 features, 4 classes", output);
        Match m = Regex.Match(output, @"test accuracy ([0-9.]+) %");
        Assert.InRange(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 80, 100);
        Assert.Equal(241, File.ReadLines(dir["predictions.csv"]).Count());
        Assert.True(File.Exists(dir["own-graph-model/weights.safetensors"]));
    }

    [GeneratedRegex(@"test accuracy ([0-9.]+) % \(the run reported ([0-9.]+) %\)")]
    private static partial Regex AccuracyLine();

    [GeneratedRegex(@"test ROC-AUC ([0-9.]+) \(the run reported ([0-9.]+)\)")]
    private static partial Regex AucLine();
}
