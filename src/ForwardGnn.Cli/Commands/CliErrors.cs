using ForwardGnn.Data;

namespace ForwardGnn.Cli.Commands;

/// <summary>Turns expected failures (bad data, unknown names, bad options) into one stderr line and exit code 2.</summary>
internal static class CliErrors
{
    public const int BadInput = 2;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is DataFormatException or DatasetNotFoundException or ArgumentException or UsageException)
        {
            Console.Error.WriteLine($"forwardgnn: error: {e.Message}");
            return BadInput;
        }
    }
}

/// <summary>A problem with the command line or a config file, reported as one line.</summary>
internal sealed class UsageException(string message) : Exception(message);
