using System.Diagnostics;
using System.Runtime.InteropServices;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Build;

/// <summary>
/// build/huge-heap.c, preloaded by build/native-env.sh ahead of tcmalloc: an sbrk that hands out exactly what is asked,
/// contiguously, as the C library's does, while it moves the real break in whole 2 MiB blocks marked MADV_HUGEPAGE
/// until <c>forwardgnn_huge_heap_end</c> is called.
/// A small C program calls it (compiled here with the machine's cc, as native-env.sh compiles the preload) and reads
/// its own /proc/self/smaps; native-env.sh is sourced as the launcher sources it, with a stand-in tcmalloc so that
/// nothing is fetched.
/// </summary>
public class HugeHeapTests
{
    private static bool Applies => OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64;

    /// <summary>
    /// The contract tcmalloc relies on, and the huge-page blocks. Prints one line per failed expectation, then "done".
    /// The kernel marks a madvised mapping "hg" in its VmFlags whatever its transparent-huge-page mode.
    /// </summary>
    private const string Program = """
        #define _GNU_SOURCE
        #include <dlfcn.h>
        #include <fcntl.h>
        #include <stdint.h>
        #include <stdio.h>
        #include <string.h>
        #include <unistd.h>
        #include <sys/syscall.h>
        #define MIB ((intptr_t)1 << 20)
        static char smaps[1 << 20];   /* read without malloc: the C library's malloc would move the break itself */
        static char *real_break(void) { return (char *)syscall(SYS_brk, 0); }
        static int flagged(char *address) {   /* 1 if the mapping holding address has VmFlags "hg", 0 if not, -1 if none holds it */
          int fd = open("/proc/self/smaps", O_RDONLY); ssize_t n, length = 0;
          while ((n = read(fd, smaps + length, sizeof smaps - 1 - length)) > 0) length += n;
          close(fd); smaps[length] = 0;
          int in = 0;
          for (char *line = smaps; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : 0) {
            unsigned long from, to;
            if (sscanf(line, "%lx-%lx ", &from, &to) == 2) in = (uintptr_t)address >= from && (uintptr_t)address < to;
            else if (in && strncmp(line, "VmFlags:", 8) == 0) { char *end = strchr(line, '\n'); if (end) *end = 0; return strstr(line, " hg") != 0; }
          }
          return -1;
        }
        #define EXPECT(c) do { if (!(c)) printf("failed: %s\n", #c); } while (0)
        int main(void) {
          setvbuf(stdout, 0, _IONBF, 0);
          char *start = sbrk(0);
          char *a = sbrk(1000);
          EXPECT(a == start);
          char *b = sbrk(3 * MIB);
          EXPECT(b == a + 1000);
          EXPECT((char *)sbrk(0) == b + 3 * MIB);
          memset(a, 1, 1000); memset(b, 2, 3 * MIB);
          EXPECT(((uintptr_t)real_break() & (2 * MIB - 1)) == 0);
          EXPECT(real_break() >= b + 3 * MIB && real_break() < b + 5 * MIB);
          EXPECT(flagged(b + 2 * MIB) == 1);
          char *c = sbrk(5 * MIB);
          EXPECT(c == b + 3 * MIB);
          memset(c, 3, 5 * MIB);
          EXPECT(flagged(c + 4 * MIB) == 1);
          EXPECT((char *)sbrk(-5 * MIB) == c + 5 * MIB);
          EXPECT((char *)sbrk(0) == c);
          EXPECT(real_break() >= c && real_break() < c + 2 * MIB);
          EXPECT(b[3 * MIB - 1] == 2 && a[999] == 1);
          char *other = real_break() + MIB;   /* code that moves the break itself: what it took is never handed out */
          EXPECT(brk(other) == 0);
          EXPECT((char *)sbrk(4096) == other);
          EXPECT((char *)sbrk(0) == other + 4096);
          void (*end)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "forwardgnn_huge_heap_end");
          if (end) {   /* start-up over: later blocks stay on 4 KiB pages, earlier ones keep their mark */
            end();
            char *d = sbrk(3 * MIB);
            memset(d, 4, 3 * MIB);
            EXPECT(flagged(d + 2 * MIB) == 0);
            EXPECT(flagged(b + 2 * MIB) == 1);
            EXPECT((char *)sbrk(0) == d + 3 * MIB);
          }
          puts("done");
          return 0;
        }
        """;

    [Fact]
    public void SbrkHandsOutWhatIsAskedContiguouslyWhileTheBreakMovesInHugePageBlocksUntilStartUpEnds()
    {
        if (!Applies) return;
        using var dir = new TempDir();
        string preload = Compile(Path.Combine(RepositoryRoot.Path, "build", "huge-heap.c"), dir["libhuge-heap.so"], shared: true);
        File.WriteAllText(dir["probe.c"], Program);
        string probe = Compile(dir["probe.c"], dir["probe"], shared: false);

        ProcessRun.Result with = ProcessRun.Run(probe, [], dir.Path, TimeSpan.FromSeconds(30), new Dictionary<string, string?> { ["LD_PRELOAD"] = preload });
        Assert.Equal("done\n", with.Stdout);

        // The same program on the C library's sbrk: the break follows each call, and no mapping is madvised.
        ProcessRun.Result without = ProcessRun.Run(probe, [], dir.Path, TimeSpan.FromSeconds(30));
        Assert.Contains("failed: flagged(b + 2 * MIB) == 1", without.Stdout);
        Assert.DoesNotContain("b == a + 1000", without.Stdout);
    }

    [Fact]
    public void NativeEnvPreloadsItAheadOfTcmallocOnlyWhenTcmallocIsTheAllocator()
    {
        if (!Applies) return;
        using var native = new TempDir();
        // A stand-in for tcmalloc in the native folder (any library that loads), so that native-env.sh fetches nothing.
        File.WriteAllText(native["stand-in.c"], "int forwardgnn_stand_in;\n");
        Compile(native["stand-in.c"], native["libtcmalloc_minimal.so.4"], shared: true);
        string tcmalloc = native["libtcmalloc_minimal.so.4"], heap = native["libhuge-heap.so"];

        string[] preloads = Source(native.Path, "tcmalloc", "on").Split(':');
        Assert.Equal([heap, tcmalloc], preloads[..2]);
        Assert.True(File.Exists(heap));
        Assert.DoesNotContain(heap, Source(native.Path, "tcmalloc", "off"));
        Assert.DoesNotContain(heap, Source(native.Path, "glibc", "on"));
        Assert.Equal(preloads, Source(native.Path, "tcmalloc", "on").Split(':'));   // the second time from the folder, the same
    }

    /// <summary>Compiles C <paramref name="source"/> with the machine's cc, as native-env.sh compiles its preloads.</summary>
    internal static string Compile(string source, string output, bool shared)
    {
        string[] args = shared ? ["-O2", "-shared", "-fPIC", "-o", output, source] : ["-O2", "-o", output, source];
        ProcessRun.Result cc = ProcessRun.Run("cc", args, System.IO.Path.GetDirectoryName(output)!, TimeSpan.FromSeconds(60));
        Assert.True(cc.ExitCode == 0, cc.ToString());
        return output;
    }

    /// <summary>LD_PRELOAD after sourcing native-env.sh with the given allocator and huge-heap switch (MKL's own dispatch).</summary>
    private static string Source(string folder, string allocator, string hugeHeap)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("set -euo pipefail; source \"$0\"; printf %s \"${LD_PRELOAD:-}\"");
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "build", "native-env.sh"));
        foreach (string name in new[] { "LD_PRELOAD", "FORWARDGNN_NATIVE_ENV" }) start.Environment.Remove(name);
        start.Environment["FORWARDGNN_NATIVE_DIR"] = folder;
        start.Environment["FORWARDGNN_ALLOCATOR"] = allocator;
        start.Environment["FORWARDGNN_HUGE_HEAP"] = hugeHeap;
        start.Environment["FORWARDGNN_MKL_DISPATCH"] = "mkl";
        using Process bash = Process.Start(start)!;
        string stdout = bash.StandardOutput.ReadToEnd(), stderr = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        Assert.True(bash.ExitCode == 0, stderr);
        return stdout;
    }
}
