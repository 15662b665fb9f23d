using System.Text;
using ForwardGnn.Build;
using ForwardGnn.Tests.Support;

namespace ForwardGnn.Tests.Build;

public class ElfVersionNeedTests
{
    /// <summary>
    /// A minimal ELF64 file: null section, .dynstr, .gnu.version_r (one Verneed for libstdc++.so.6 with two
    /// Vernaux entries, GLIBCXX_3.4.32 then GLIBCXX_3.4.30), .shstrtab.
    /// </summary>
    internal static byte[] Fixture()
    {
        byte[] dynstr = Encoding.ASCII.GetBytes("\0libstdc++.so.6\0GLIBCXX_3.4.32\0GLIBCXX_3.4.30\0");
        int fileName = 1, v432 = 16, v430 = 31;
        var verneed = new List<byte>();
        void U16(List<byte> b, int v) => b.AddRange(BitConverter.GetBytes((ushort)v));
        void U32(List<byte> b, int v) => b.AddRange(BitConverter.GetBytes((uint)v));
        U16(verneed, 1); U16(verneed, 2); U32(verneed, fileName); U32(verneed, 16); U32(verneed, 0);
        U32(verneed, 0x0297f862); U16(verneed, 0); U16(verneed, 3); U32(verneed, v432); U32(verneed, 16);
        U32(verneed, 0x0297f860); U16(verneed, 0); U16(verneed, 2); U32(verneed, v430); U32(verneed, 0);
        byte[] shstr = Encoding.ASCII.GetBytes("\0.dynstr\0.gnu.version_r\0.shstrtab\0");

        int dynstrOff = 64, verOff = dynstrOff + dynstr.Length, shstrOff = verOff + verneed.Count;
        int shOff = (shstrOff + shstr.Length + 7) / 8 * 8;
        var image = new byte[shOff + 4 * 64];
        image[0] = 0x7f; image[1] = (byte)'E'; image[2] = (byte)'L'; image[3] = (byte)'F';
        image[4] = 2; image[5] = 1; image[6] = 1;
        BitConverter.GetBytes((ulong)shOff).CopyTo(image, 0x28);
        BitConverter.GetBytes((ushort)64).CopyTo(image, 0x3A);
        BitConverter.GetBytes((ushort)4).CopyTo(image, 0x3C);
        BitConverter.GetBytes((ushort)3).CopyTo(image, 0x3E);
        dynstr.CopyTo(image, dynstrOff);
        verneed.ToArray().CopyTo(image, verOff);
        shstr.CopyTo(image, shstrOff);
        void Section(int i, int name, uint type, int offset, int size, int link, int info)
        {
            int h = shOff + 64 * i;
            BitConverter.GetBytes((uint)name).CopyTo(image, h);
            BitConverter.GetBytes(type).CopyTo(image, h + 4);
            BitConverter.GetBytes((ulong)offset).CopyTo(image, h + 0x18);
            BitConverter.GetBytes((ulong)size).CopyTo(image, h + 0x20);
            BitConverter.GetBytes((uint)link).CopyTo(image, h + 0x28);
            BitConverter.GetBytes((uint)info).CopyTo(image, h + 0x2C);
        }
        Section(1, 1, 3, dynstrOff, dynstr.Length, 0, 0);
        Section(2, 9, 0x6ffffffe, verOff, verneed.Count, 1, 1);
        Section(3, 24, 3, shstrOff, shstr.Length, 0, 0);
        return image;
    }

    private static ushort FlagsOfEntry(byte[] image, int entry) => BitConverter.ToUInt16(image, 64 + 46 + 16 + 16 * entry + 4);

    [Fact]
    public void MarksOnlyTheNamedVersionWeak()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["lib.so"], Fixture());

        Assert.True(ElfVersionNeed.HasStrongNeed(dir["lib.so"], "GLIBCXX_3.4.32"));
        Assert.Equal(WeakenOutcome.Patched, ElfVersionNeed.MarkWeak(dir["lib.so"], "GLIBCXX_3.4.32"));

        byte[] patched = File.ReadAllBytes(dir["lib.so"]);
        Assert.Equal(2, FlagsOfEntry(patched, 0));
        Assert.Equal(0, FlagsOfEntry(patched, 1));
        Assert.False(ElfVersionNeed.HasStrongNeed(dir["lib.so"], "GLIBCXX_3.4.32"));
        Assert.True(ElfVersionNeed.HasStrongNeed(dir["lib.so"], "GLIBCXX_3.4.30"));

        byte[] original = Fixture();
        int differing = original.Zip(patched).Count(p => p.First != p.Second);
        Assert.Equal(1, differing);
    }

    [Fact]
    public void IsIdempotent()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["lib.so"], Fixture());
        ElfVersionNeed.MarkWeak(dir["lib.so"], "GLIBCXX_3.4.32");
        byte[] once = File.ReadAllBytes(dir["lib.so"]);
        DateTime written = File.GetLastWriteTimeUtc(dir["lib.so"]);

        Assert.Equal(WeakenOutcome.AlreadyWeak, ElfVersionNeed.MarkWeak(dir["lib.so"], "GLIBCXX_3.4.32"));
        Assert.Equal(once, File.ReadAllBytes(dir["lib.so"]));
        Assert.Equal(written, File.GetLastWriteTimeUtc(dir["lib.so"]));
    }

    [Fact]
    public void LeavesFilesWithoutThatNeedUntouched()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["lib.so"], Fixture());
        Assert.Equal(WeakenOutcome.NotNeeded, ElfVersionNeed.MarkWeak(dir["lib.so"], "GLIBCXX_9.9.9"));
        Assert.Equal(Fixture(), File.ReadAllBytes(dir["lib.so"]));
    }

    [Fact]
    public void RefusesNonElfFiles()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["lib.so"], "not an elf file at all, but long enough to have a header............");
        Assert.Throws<InvalidDataException>(() => ElfVersionNeed.MarkWeak(dir["lib.so"], "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void HostCheckFindsTheVersionString()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["new.so"], "....GLIBCXX_3.4.32\0....");
        File.WriteAllText(dir["old.so"], "....GLIBCXX_3.4.30\0....");
        Assert.True(ElfVersionNeed.HostLibraryDefines("GLIBCXX_3.4.32", [dir["missing.so"], dir["new.so"]]));
        Assert.False(ElfVersionNeed.HostLibraryDefines("GLIBCXX_3.4.32", [dir["old.so"]]));
    }

    [Fact]
    public void BuildOutputCopyLoadsOnThisHost()
    {
        string copy = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(copy), copy);
        bool hostHasVersion = ElfVersionNeed.HostLibraryDefines("GLIBCXX_3.4.32", ElfVersionNeed.HostLibStdCxxCandidates);
        Assert.True(hostHasVersion || !ElfVersionNeed.HasStrongNeed(copy, "GLIBCXX_3.4.32"));
    }
}
