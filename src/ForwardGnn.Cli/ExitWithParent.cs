namespace ForwardGnn.Cli;

/// <summary>
/// For child runs of <c>reproduce</c>: the parent holds the write end of this process's standard input, so end of
/// file there means the parent is gone (however it died) and this run is abandoned. It then exits at once;
/// <c>result.json</c> is only ever renamed into place when complete, so nothing half-written is left behind.
/// </summary>
internal static class ExitWithParent
{
    public const int AbandonedExitCode = 130;

    public static void Watch() => new Thread(() =>
    {
        using Stream input = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (input.Read(buffer) > 0) { }
        Environment.Exit(AbandonedExitCode);
    }) { IsBackground = true, Name = "exit-with-parent" }.Start();
}
