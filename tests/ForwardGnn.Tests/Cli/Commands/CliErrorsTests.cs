using System.Runtime.InteropServices;
using ForwardGnn.Cli.Commands;

namespace ForwardGnn.Tests.Cli.Commands;

public class CliErrorsTests
{
    [Fact]
    public void ALibTorchMessageKeepsItsFirstLineOnly()
    {
        var e = new ExternalException("[enforce fail at alloc_cpu.cpp:127] DefaultCPUAllocator: can't allocate memory\n" +
            "Exception raised from alloc_cpu at /pytorch/c10/core/impl/alloc_cpu.cpp:127\nframe #0: c10::Error::Error(...) + 0x8f");
        string line = CliErrors.Line(e);
        Assert.Equal("forwardgnn: error: ExternalException: [enforce fail at alloc_cpu.cpp:127] DefaultCPUAllocator: can't allocate memory", line);
    }

    [Fact]
    public void ALongMessageIsCutTo300Characters()
    {
        string line = CliErrors.Line(new ArgumentException("unknown dataset '" + new string('x', 10_000) + "'"));
        Assert.Equal(CliErrors.MaxLineLength, line.Length);
        Assert.EndsWith("…", line);
    }
}
