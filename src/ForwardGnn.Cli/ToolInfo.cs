using System.Reflection;

namespace ForwardGnn.Cli;

/// <summary>
/// The tool's version and the commit it was built from, as result files record them: the informational version the
/// SDK writes (<c>0.1.0+&lt;commit&gt;</c>, from Directory.Build.props and the checkout's HEAD).
/// </summary>
internal static class ToolInfo
{
    private static readonly string Informational =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The package version, e.g. <c>0.1.0</c>.</summary>
    public static string Version => Informational.Split('+')[0];

    /// <summary>The commit the tool was built from (40 hex digits); null when the build had no git checkout.</summary>
    public static string? Commit => Informational.Split('+') is [_, var commit, ..] && commit.Length > 0 ? commit : null;

    /// <summary>Now, in UTC, to the second, as ISO 8601 (<c>2026-12-07T08:15:00Z</c>).</summary>
    public static string UtcNow() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
