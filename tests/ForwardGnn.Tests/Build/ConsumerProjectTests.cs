using System.Diagnostics;
using ForwardGnn.Build;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Build;

/// <summary>
/// An app outside the repository (so none of its Directory.Build.* files apply) with nothing but a ProjectReference
/// to src/ForwardGnn (and libtorch's CPU backend package, which the app chooses): it must build, load TorchSharp on this host and train, with no setup code of its own
/// (ForwardGnnRuntime runs from the library's module initializer, before libtorch loads).
/// </summary>
[Collection(BuildCollection.Name)]
public class ConsumerProjectTests
{
    private const string ProgramSource = """
        using System.Runtime.InteropServices;
        using ForwardGnn;
        using ForwardGnn.Data;
        using ForwardGnn.Training;
        using TorchSharp;

        // The first call goes to the library; nothing else prepares the process.
        GraphDataset data = SyntheticSbm.Generate(new SyntheticSbm.Parameters(Nodes: 300, Degree: 6, Features: 32, Classes: 3, Seed: 1));
        using var ones = torch.ones(2, 3);
        Console.WriteLine($"sum {ones.sum().item<float>()}");
        RuntimeSetup setup = ForwardGnnRuntime.Initialize();
        Console.WriteLine($"fix {setup.NativeLoadFix}");
        Console.WriteLine($"tuned {setup.NativeTuningApplied} torch-first {setup.LibTorchLoadedFirst} threads {setup.Threads} torch-threads {torch.get_num_threads()}");
        Console.WriteLine($"wait {Marshal.PtrToStringUTF8(getenv("OMP_WAIT_POLICY"))}");
        var config = new TrainConfig { Dataset = data.Name, Algo = "sf", Epochs = 4, ValEvery = 2, Hidden = 16 };
        using var model = Trainer.TrainNodeClassifier(data, ForwardGnn.Data.Splits.NodeSplits.For(data, 0), config);
        Console.WriteLine($"trained {model.Card.Layers} layers, test {(double.IsFinite(model.Card.TrainedOn!.Test) ? "finite" : "not finite")}");

        [DllImport("libc")] static extern nint getenv(string name);
        """;

    [Fact]
    public void AnAppWithOnlyAProjectReferenceBuildsLoadsTorchSharpAndTrains()
    {
        using var app = new TempDir();
        Assert.False(app.Path.StartsWith(Repository + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        File.WriteAllText(app["Consumer.csproj"], $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Path.Combine(Repository, "src", "ForwardGnn", "ForwardGnn.csproj")}" />
                <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(app["Program.cs"], ProgramSource);

        // The library's own build is up to date (the tests were built with it), so this compiles only the app.
        var build = Run(app.Path, TimeSpan.FromMinutes(4), "build", "-c", Configuration, "--nologo", "-v", "quiet",
            "-clp:NoSummary", "--disable-build-servers", "-o", app["out"]);
        Assert.True(build.ExitCode == 0, $"dotnet build failed ({build.ExitCode}):\n{build.Stdout}\n{build.Stderr}");
        string copy = app["out/runtimes/linux-x64/native/libLibTorchSharp.so"];
        bool hostHasVersion = ElfVersionNeed.HostLibraryDefines("GLIBCXX_3.4.32", ElfVersionNeed.HostLibStdCxxCandidates);
        Assert.True(File.Exists(copy), copy);
        Assert.True(ElfVersionNeed.HasStrongNeed(copy, "GLIBCXX_3.4.32"));   // the repository's build-time fix did not reach it

        var first = Run(app.Path, TimeSpan.FromMinutes(2), app["out/Consumer.dll"]);
        Assert.True(first.ExitCode == 0, $"the app failed ({first.ExitCode}):\n{first.Stdout}\n{first.Stderr}");
        Assert.Equal("", first.Stderr);
        string[] lines = first.Stdout.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal([
            "sum 6",
            $"fix {(hostHasVersion ? "NotNeeded" : "Patched")}",
            $"tuned True torch-first False threads {Environment.ProcessorCount} torch-threads {Environment.ProcessorCount}",
            "wait PASSIVE",
            "trained 2 layers, test finite",
        ], lines);
        Assert.Equal(hostHasVersion, ElfVersionNeed.HasStrongNeed(copy, "GLIBCXX_3.4.32"));

        var second = Run(app.Path, TimeSpan.FromMinutes(2), app["out/Consumer.dll"]);   // the copy is already weak
        Assert.True(second.ExitCode == 0, $"the second run failed ({second.ExitCode}):\n{second.Stdout}\n{second.Stderr}");
        Assert.Contains("fix NotNeeded", second.Stdout);
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly string Repository = FindRepository();

    private sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="folder"/>; a run past <paramref name="limit"/> is killed and fails.</summary>
    private static Result Run(string folder, TimeSpan limit, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);   // the test host's MSBuild settings are not the app's
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment.Remove("OMP_WAIT_POLICY");
        start.Environment.Remove("GOMP_SPINCOUNT");
        start.Environment.Remove("OMP_NUM_THREADS");
        start.Environment.Remove("LD_PRELOAD");
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', args)} ran past {limit.TotalMinutes} min");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindRepository()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "src", "ForwardGnn", "ForwardGnn.csproj"))) return d.FullName;
        throw new InvalidOperationException("src/ForwardGnn/ForwardGnn.csproj was not found above " + AppContext.BaseDirectory);
    }
}
