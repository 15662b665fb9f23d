using System.Diagnostics;

namespace ForwardGnn.Tests.Support;

/// <summary>Runs the built command-line tool as a separate process, as a user would.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunWith(new Dictionary<string, string?>(), args);

    /// <summary>Runs the tool with <paramref name="environment"/> set (a null value removes the variable).</summary>
    public static Result RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using Process process = Start(args, environment);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the tool without waiting; the caller reads (or drains) its redirected output.</summary>
    public static Process Start(params string[] args) => Start(args, new Dictionary<string, string?>());

    /// <summary><see cref="Start(string[])"/> with <paramref name="environment"/> set (a null value removes the variable).</summary>
    public static Process StartWith(IReadOnlyDictionary<string, string?> environment, params string[] args) => Start(args, environment);

    private static Process Start(string[] args, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ForwardGnn.Cli.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("FORWARDGNN_DATA");
        foreach ((string name, string? value) in environment) start.Environment[name] = value;
        return Process.Start(start)!;
    }
}
