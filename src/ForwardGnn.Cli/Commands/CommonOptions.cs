using System.CommandLine;

namespace ForwardGnn.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string?> DataRoot() => new("--data-root")
    {
        Description = "Dataset folder (default: $FORWARDGNN_DATA, else ./data, then ../shared/datasets)",
    };

    public static Option<bool> NoDownload() => new("--no-download")
    {
        Description = "Fail instead of downloading a dataset missing from every data root",
    };

    /// <summary>Given anywhere on the command line: print the stack trace of a failure.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Print the stack trace of a failure", Recursive = true };

    /// <summary>Given anywhere on the command line: the memory the inputs and settings may ask for (else what the machine has available).</summary>
    public static readonly Option<string?> MaxMemory = new("--max-memory")
    {
        Description = "Refuse inputs or settings estimated to need more memory than this (4G, 512M, bytes) [available memory]", Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON on stdout" };
}
