using System.CommandLine;
using ForwardGnn.Data;
using ForwardGnn.Training;

namespace ForwardGnn.Cli.Commands;

/// <summary>
/// Turns failures into one stderr line: bad data, unknown names and bad options exit with 2; failures while running
/// (a numerical fault, an I/O error, anything unexpected) exit with 1. The stack trace is printed only with
/// <c>--verbose</c>.
/// </summary>
internal static class CliErrors
{
    public const int BadInput = 2;
    public const int RuntimeFailure = 1;

    public static int Run(ParseResult parse, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is DataFormatException or DatasetNotFoundException or ArgumentException or UsageException)
        {
            return Report(parse, e, BadInput);
        }
        catch (Exception e)
        {
            return Report(parse, e, RuntimeFailure);
        }
    }

    private static int Report(ParseResult parse, Exception e, int exitCode)
    {
        string kind = e is NumericalFaultException or DataFormatException or DatasetNotFoundException or ArgumentException or UsageException
            ? "" : $"{e.GetType().Name}: ";
        Console.Error.WriteLine($"forwardgnn: error: {kind}{e.Message.ReplaceLineEndings(" ")}");
        if (parse.GetValue(CommonOptions.Verbose)) Console.Error.WriteLine(e);
        return exitCode;
    }
}

/// <summary>A problem with the command line or a config file, reported as one line.</summary>
internal sealed class UsageException(string message) : Exception(message);
