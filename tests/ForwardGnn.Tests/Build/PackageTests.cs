using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ForwardGnn.Build;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Build;

/// <summary>
/// The two packages as a user gets them: <c>dotnet pack</c> of the solution into a folder feed; a fresh console app
/// outside the repository, restored from that feed (a package reference, no project reference), builds and runs the
/// QuickStart example; the tool, installed from the feed with <c>--tool-path</c> into a home where <c>./forwardgnn</c>
/// never ran, lists the datasets, trains 5 epochs, and trains SF-GCN on Cora_ML to the test accuracy the app prints.
/// One pack (of the Release build the tests were built from, under a version of its own, removed from the NuGet
/// cache afterwards) serves every step.
/// </summary>
[Collection(BuildCollection.Name)]
public partial class PackageTests
{
    private static readonly string Repository = RepositoryRoot.Path;
    private static readonly TimeSpan Minutes5 = TimeSpan.FromMinutes(5);

    [Fact]
    public void PackedLibraryAndToolWorkFromALocalFeedWithoutTheRepository()
    {
        using var work = new TempDir();
        string version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        string feed = work["feed"];
        try
        {
            Pack(feed, version);
            CheckLibraryPackage(Path.Combine(feed, $"ForwardGnn.{version}.nupkg"), version);
            CheckToolPackage(Path.Combine(feed, $"ForwardGnn.Tool.{version}.nupkg"));

            var home = new Dictionary<string, string?>
            {
                ["XDG_CACHE_HOME"] = work["cache"],   // a home where neither the tool nor ./forwardgnn ever ran
                ["FORWARDGNN_DATA"] = SharedData.Root,
            };
            string tool = InstallTool(feed, version, work["tools"], work.Path);
            string toolAccuracy = RunTool(tool, work, home);

            string appAccuracy = RunQuickStartFromFeed(feed, version, work["app"], home, work["cache/forwardgnn/native"]);
            Assert.Equal(toolAccuracy, appAccuracy);
        }
        finally
        {
            string cached = Path.Combine(NuGetCache(), "forwardgnn", version);
            if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
            string id = Path.GetDirectoryName(cached)!;
            if (Directory.Exists(id) && !Directory.EnumerateFileSystemEntries(id).Any()) Directory.Delete(id);
        }
    }

    /// <summary>Packs the solution from the build the tests ran on (no build: the tests' own build is Release).</summary>
    private static void Pack(string feed, string version)
    {
        ProcessRun.Result pack = ProcessRun.Run("dotnet",
            ["pack", Path.Combine(Repository, "ForwardGnn.slnx"), "-c", Configuration, "--no-build", "--nologo", "-v", "quiet",
             "-clp:NoSummary", "--disable-build-servers", "-o", feed, $"-p:PackageVersion={version}"], Repository, Minutes5);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        string[] packages = Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal([$"ForwardGnn.{version}.nupkg", $"ForwardGnn.Tool.{version}.nupkg"], packages);
        Assert.True(File.Exists(Path.Combine(feed, $"ForwardGnn.{version}.snupkg")));
    }

    private static void CheckLibraryPackage(string path, string version)
    {
        using ZipArchive package = ZipFile.OpenRead(path);
        string[] entries = package.Entries.Select(e => e.FullName).ToArray();
        foreach (string expected in new[] { "lib/net10.0/ForwardGnn.dll", "lib/net10.0/ForwardGnn.xml", "README.md",
                     "build/ForwardGnn.targets", "build/ElfVersionNeed.cs", "buildTransitive/ForwardGnn.targets", "buildTransitive/ElfVersionNeed.cs" })
            Assert.Contains(expected, entries);
        XElement metadata = Nuspec(package);
        Assert.Equal("ForwardGnn", Field(metadata, "id"));
        Assert.Equal(version, Field(metadata, "version"));
        CheckNoPlaceholders(metadata);
        string[] dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id")!).ToArray();
        Assert.Contains("TorchSharp", dependencies);
        Assert.DoesNotContain(dependencies, d => d.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase));   // the app chooses
    }

    private static void CheckToolPackage(string path)
    {
        using ZipArchive package = ZipFile.OpenRead(path);
        string[] entries = package.Entries.Select(e => e.FullName).ToArray();
        foreach (string expected in new[] { "tools/net10.0/any/ForwardGnn.Cli.dll", "tools/net10.0/any/native/native-env.sh",
                     "tools/net10.0/any/native/mkl-cpu-dispatch.c", "tools/net10.0/any/native/huge-heap.c", "tools/net10.0/any/runtimes/linux-x64/native/libtorch_cpu.so" })
            Assert.Contains(expected, entries);
        using (var settings = new StreamReader(package.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open()))
            Assert.Contains("<Command Name=\"forwardgnn\"", settings.ReadToEnd());
        XElement metadata = Nuspec(package);
        Assert.Equal("ForwardGnn.Tool", Field(metadata, "id"));
        CheckNoPlaceholders(metadata);
    }

    private static void CheckNoPlaceholders(XElement metadata)
    {
        foreach (string field in new[] { "authors", "description", "readme", "tags" })
            Assert.False(string.IsNullOrWhiteSpace(Field(metadata, field)), field);
        Assert.NotEqual("Package Description", Field(metadata, "description"));
        Assert.NotEqual(Field(metadata, "id"), Field(metadata, "authors"));   // the SDK's default authors are the id
        Assert.Matches("^[0-9a-f]{40}$", (string?)metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("commit") ?? "");
    }

    private static string InstallTool(string feed, string version, string toolPath, string folder)
    {
        ProcessRun.Result install = ProcessRun.Run("dotnet",
            ["tool", "install", "--tool-path", toolPath, "ForwardGnn.Tool", "--add-source", feed, "--version", version], folder, Minutes5);
        Assert.True(install.ExitCode == 0, install.ToString());
        string tool = Path.Combine(toolPath, "forwardgnn");
        Assert.True(File.Exists(tool), install.ToString());
        return tool;
    }

    /// <summary>The installed command, as a user runs it; returns the test accuracy of a full SF-GCN run (F2).</summary>
    private static string RunTool(string tool, TempDir work, Dictionary<string, string?> home)
    {
        ProcessRun.Result first = ProcessRun.Run(tool, ["datasets"], work.Path, Minutes5, home);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("CitationFull-Cora_ML", first.Stdout);
        Assert.Contains("forwardgnn datasets", ProcessRun.Run(tool, ["datasets", "--help"], work.Path, Minutes5, home).Stdout);
        // First use: one line per change to the process, each with its switch; nothing said the second time.
        string[] said = first.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(said);
        Assert.All(said, line => Assert.StartsWith("forwardgnn: ", line));
        Assert.Contains(said, line => line.Contains("OMP_WAIT_POLICY", StringComparison.Ordinal));
        Assert.All(said, line => Assert.Matches("; off: ([A-Z_]+=|set [A-Z_]+)|skips it|could not", line));   // how to turn it off
        ProcessRun.Result second = ProcessRun.Run(tool, ["datasets"], work.Path, Minutes5, home);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("", second.Stderr);

        ProcessRun.Result shortRun = ProcessRun.Run(tool, ["train", "--epochs", "5", "--json", "--out", work["runs/five"]], work.Path, Minutes5, home);
        Assert.True(shortRun.ExitCode == 0, shortRun.ToString());
        using (JsonDocument result = JsonDocument.Parse(File.ReadAllText(work["runs/five/result.json"])))
        {
            Assert.Equal(ToolVersion(), result.RootElement.GetProperty("toolVersion").GetString());
            Assert.True(DateTime.TryParse(result.RootElement.GetProperty("finishedUtc").GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal, out DateTime finished));
            Assert.InRange(finished, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddMinutes(1));
        }

        ProcessRun.Result full = ProcessRun.Run(tool, ["train", "--algo", "sf", "--json", "--out", work["runs/sf"]], work.Path, Minutes5, home);
        Assert.True(full.ExitCode == 0, full.ToString());
        using JsonDocument sf = JsonDocument.Parse(full.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        return sf.RootElement.GetProperty("test").GetDouble().ToString("F2", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// examples/QuickStart/Program.cs in a new app that references the packages only; built, then run under the tool's
    /// native environment (the same preloads, so the same float kernels). Returns the accuracy it prints.
    /// </summary>
    private static string RunQuickStartFromFeed(string feed, string version, string app, Dictionary<string, string?> home, string nativeFolder)
    {
        Directory.CreateDirectory(app);
        // The example trains with TrainConfig.Seed as it is; the tool seeds split 0 with its --seed (100) · 101 = 10100.
        string program = File.ReadAllText(Path.Combine(Repository, "examples", "QuickStart", "Program.cs"));
        const string settings = "new TrainConfig { Algo = \"sf\", Layers = 2 }";
        Assert.Contains(settings, program);
        File.WriteAllText(Path.Combine(app, "Program.cs"), program.Replace(settings, "new TrainConfig { Algo = \"sf\", Layers = 2, Seed = 10100 }"));
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "QuickStartApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ForwardGnn" Version="{version}" />
                <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
              </ItemGroup>
            </Project>
            """);
        ProcessRun.Result build = ProcessRun.Run("dotnet", ["build", "-c", "Release", "--nologo", "-v", "quiet", "-clp:NoSummary",
            "--disable-build-servers", "-o", Path.Combine(app, "out")], app, Minutes5);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain("ProjectReference", File.ReadAllText(Path.Combine(app, "QuickStartApp.csproj")));

        // The package's build targets made the app's copy of TorchSharp's native library loadable on this host.
        string copy = Path.Combine(app, "out", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!ElfVersionNeed.HostLibraryDefines("GLIBCXX_3.4.32", ElfVersionNeed.HostLibStdCxxCandidates))
            Assert.False(ElfVersionNeed.HasStrongNeed(copy, "GLIBCXX_3.4.32"));

        var environment = new Dictionary<string, string?>(home) { ["FORWARDGNN_NATIVE_DIR"] = nativeFolder };
        ProcessRun.Result run = ProcessRun.Run("bash",
            ["-c", "source \"$0\"; exec dotnet out/QuickStartApp.dll", Path.Combine(Repository, "build", "native-env.sh")],
            app, Minutes5, environment);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);   // everything was said by the tool's first run
        Match m = AccuracyLine().Match(run.Stdout);
        Assert.True(m.Success, run.ToString());
        return m.Groups[1].Value;
    }

    private static XElement Nuspec(ZipArchive package)
    {
        ZipArchiveEntry entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string? Field(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>The version in Directory.Build.props (the one place it is set).</summary>
    private static string ToolVersion() =>
        XDocument.Load(Path.Combine(Repository, "Directory.Build.props")).Descendants("Version").Single().Value;

    private static string NuGetCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    [GeneratedRegex(@"test accuracy ([0-9.]+) %")]
    private static partial Regex AccuracyLine();

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
}
