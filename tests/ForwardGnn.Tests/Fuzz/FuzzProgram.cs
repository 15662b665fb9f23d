namespace ForwardGnn.Tests.Fuzz;

/// <summary>
/// The test assembly's entry point, used only to run <see cref="StructuredFuzz"/> in a process of its own under a
/// memory cap (<c>dotnet ForwardGnn.Tests.dll fuzz SCRATCH SEED COUNT</c>); the test runner does not call it.
/// </summary>
internal static class FuzzProgram
{
    public static int Main(string[] args)
    {
        if (args is ["fuzz", string scratch, string seed, string count])
            return new StructuredFuzz(scratch, int.Parse(seed), Console.Out).Run(int.Parse(count)) == 0 ? 0 : 1;
        Console.Error.WriteLine("usage: dotnet ForwardGnn.Tests.dll fuzz SCRATCH SEED COUNT (the tests run through dotnet test)");
        return 2;
    }
}
