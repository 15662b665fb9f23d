using System.Runtime.InteropServices;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Cli;

/// <summary>
/// <c>train</c> ends the huge pages of the preloaded heap (build/huge-heap.c's <c>forwardgnn_huge_heap_end</c>) once, at its
/// first check, and runs as before where nothing exports that name. A stand-in preload records each call in a file.
/// </summary>
public class HugeHeapTests
{
    private const string StandIn = """
        #include <fcntl.h>
        #include <stdlib.h>
        #include <unistd.h>
        void forwardgnn_huge_heap_end(void) {
          int fd = open(getenv("HUGE_HEAP_END_MARK"), O_WRONLY | O_CREAT | O_APPEND, 0644);
          if (fd >= 0) { write(fd, "called\n", 7); close(fd); }
        }
        """;

    [Fact]
    public void TrainEndsTheHugePagesOnceAtItsFirstCheck()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64) return;
        using var dir = new TempDir();
        File.WriteAllText(dir["stand-in.c"], StandIn);
        string preload = Build.HugeHeapTests.Compile(dir["stand-in.c"], dir["libstand-in.so"], shared: true);

        CliRunner.Result r = CliRunner.RunWith(new Dictionary<string, string?> { ["LD_PRELOAD"] = preload, ["HUGE_HEAP_END_MARK"] = dir["mark"] },
            "train", "--dataset", "cora_ml", "--algo", "bp", "--gnn", "gcn", "--layers", "2", "--split", "0", "--epochs", "6",
            "--threads", "1", "--data-root", SharedData.Root, "--out", dir["run"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("called\n", File.ReadAllText(dir["mark"]));

        CliRunner.Result plain = CliRunner.Run("train", "--dataset", "cora_ml", "--algo", "bp", "--gnn", "gcn", "--layers", "2", "--split", "0",
            "--epochs", "6", "--threads", "1", "--data-root", SharedData.Root, "--out", dir["plain"]);
        Assert.True(plain.ExitCode == 0, plain.Stderr);
    }
}
