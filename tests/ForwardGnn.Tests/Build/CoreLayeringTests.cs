using System.Text.RegularExpressions;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Build;

/// <summary>
/// The core library speaks in graphs, splits and options: the paper's protocol (split files, the split range, the
/// seed rule, the data-root search, checkpoint folders) and the CLI's words live in the CLI project.
/// </summary>
public partial class CoreLayeringTests
{
    private static IEnumerable<(string File, int Line, string Text)> CoreCode()
    {
        string core = Path.Combine(RepositoryRoot.Path, "src", "ForwardGnn");
        foreach (string file in Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
                if (!lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal))
                    yield return (Path.GetRelativePath(core, file), i + 1, lines[i]);
        }
    }

    [Fact]
    public void CoreMessagesNameNoCommandLineFlag()
    {
        string[] found = CoreCode().Where(l => FlagInString().IsMatch(l.Text)).Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToArray();
        Assert.True(found.Length == 0, "core code names CLI flags:\n" + string.Join("\n", found));
    }

    [Theory]
    [InlineData("forwardgnn-datasplits")]   // the reference's split files
    [InlineData("\"shared\"")]              // the data-root search beside the checkout
    [InlineData("* 101")]                   // the seed rule
    [InlineData("class Experiment")]
    [InlineData("class CheckpointFolder")]
    public void ProtocolLivesOutsideTheCore(string protocol)
    {
        string[] found = CoreCode().Where(l => l.Text.Contains(protocol, StringComparison.Ordinal)).Select(l => $"{l.File}:{l.Line}").ToArray();
        Assert.True(found.Length == 0, $"'{protocol}' in core code: {string.Join(", ", found)}");
    }

    [Fact]
    public void TheFlagRuleSeesAFlag() => Assert.Matches(FlagInString(), "throw new ArgumentException(\"--layers must be positive\");");

    [GeneratedRegex("\"[^\"]*--[a-z]")]
    private static partial Regex FlagInString();
}
