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

    /// <summary>Longest error line printed; a longer message (a user's value echoed whole, say) is cut.</summary>
    public const int MaxLineLength = 300;

    private static int Report(ParseResult parse, Exception e, int exitCode)
    {
        Console.Error.WriteLine(Line(e));
        if (parse.GetValue(CommonOptions.Verbose)) Console.Error.WriteLine(e);
        return exitCode;
    }

    /// <summary>
    /// The one error line: the message's first line (libtorch appends its C++ backtrace, <c>frame #0: c10::…</c>, on
    /// the lines after), at most <see cref="MaxLineLength"/> characters.
    /// </summary>
    internal static string Line(Exception e)
    {
        string kind = e is NumericalFaultException or DataFormatException or DatasetNotFoundException or ArgumentException or UsageException
            ? "" : $"{e.GetType().Name}: ";
        string message = e is InvalidSettingException bad ? $"{FlagOf(bad.Setting)} {bad.Problem}" : e.Message;
        string first = message.Split('\n', 2)[0].TrimEnd('\r');
        string line = $"forwardgnn: error: {kind}{first}";
        return line.Length <= MaxLineLength ? line : line[..(MaxLineLength - 1)] + "…";
    }

    /// <summary>The flag that sets a <see cref="TrainConfig"/> or <see cref="ForwardOptions"/> property: <c>WeightDecay</c> is <c>--weight-decay</c>.</summary>
    private static string FlagOf(string setting) => setting switch
    {
        nameof(ForwardOptions.Theta) => "--ff-theta",
        _ => "--" + string.Concat(setting.Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}")),
    };
}

/// <summary>A problem with the command line or a config file, reported as one line.</summary>
internal sealed class UsageException(string message) : Exception(message);
