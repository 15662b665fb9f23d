// Native-compatibility step: marks one symbol-version requirement of an ELF64 shared library as weak.
// Compiled twice: by MSBuild's RoslynCodeTaskFactory (src/ForwardGnn/build/ForwardGnn.targets, imported by
// Directory.Build.targets and shipped in the package) and into the library itself (ELF_PATCHER_WITHOUT_TASK and
// ELF_PATCHER_INTERNAL: ForwardGnnRuntime patches the app's output copy at run time, for consumers the targets miss).
// Kept to conservative C# syntax because the task factory compiles it with its own language defaults.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ForwardGnn.Build
{
    /// <summary>What <see cref="ElfVersionNeed.MarkWeak"/> did to a file.</summary>
#if ELF_PATCHER_INTERNAL
    internal
#else
    public
#endif
    enum WeakenOutcome
    {
        /// <summary>At least one matching version need was strong and is now weak.</summary>
        Patched,
        /// <summary>Every matching version need was already weak; the file was not written.</summary>
        AlreadyWeak,
        /// <summary>The file needs no such version; the file was not written.</summary>
        NotNeeded,
    }

    /// <summary>
    /// Reads the <c>SHT_GNU_verneed</c> section of a little-endian ELF64 file and sets <c>VER_FLG_WEAK</c> on the
    /// <c>Vernaux</c> entries whose version name matches, so the dynamic loader no longer refuses the library when
    /// the host lacks that version.
    /// </summary>
#if ELF_PATCHER_INTERNAL
    internal
#else
    public
#endif
    static class ElfVersionNeed
    {
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlagWeak = 0x2;

        /// <summary>Marks every need for <paramref name="versionName"/> in <paramref name="path"/> as weak.</summary>
        /// <exception cref="InvalidDataException">The file is not a well-formed little-endian ELF64 file.</exception>
        public static WeakenOutcome MarkWeak(string path, string versionName)
        {
            byte[] image = File.ReadAllBytes(path);
            List<int> flagOffsets = FindVernauxFlagOffsets(image, versionName, path);
            if (flagOffsets.Count == 0) return WeakenOutcome.NotNeeded;

            bool changed = false;
            foreach (int offset in flagOffsets)
            {
                ushort flags = ReadU16(image, offset);
                if ((flags & VerFlagWeak) != 0) continue;
                WriteU16(image, offset, (ushort)(flags | VerFlagWeak));
                changed = true;
            }
            if (!changed) return WeakenOutcome.AlreadyWeak;

            // A new file renamed over the old one: a process loading the library meanwhile maps the old file or the
            // whole new one, never half of it, and two processes patching at once each rename a complete file.
            string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                File.WriteAllBytes(temporary, image);
                File.Replace(temporary, path, null);
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
            return WeakenOutcome.Patched;
        }

        /// <summary>True when some need for <paramref name="versionName"/> in the file is still strong.</summary>
        public static bool HasStrongNeed(string path, string versionName)
        {
            byte[] image = File.ReadAllBytes(path);
            foreach (int offset in FindVernauxFlagOffsets(image, versionName, path))
                if ((ReadU16(image, offset) & VerFlagWeak) == 0) return true;
            return false;
        }

        /// <summary>True when the host's libstdc++ defines <paramref name="versionName"/> (so no patch is needed).</summary>
        public static bool HostLibraryDefines(string versionName, IEnumerable<string> candidateLibraries)
        {
            byte[] needle = Encoding.ASCII.GetBytes(versionName + "\0");
            foreach (string candidate in candidateLibraries)
            {
                if (!File.Exists(candidate)) continue;
                byte[] bytes = File.ReadAllBytes(candidate);
                return IndexOf(bytes, needle) >= 0;
            }
            return false;
        }

        /// <summary>Where Linux distributions keep the C++ runtime, most specific first.</summary>
        public static readonly string[] HostLibStdCxxCandidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/lib64/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
        };

        private static List<int> FindVernauxFlagOffsets(byte[] image, string versionName, string path)
        {
            if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
                throw new InvalidDataException(path + ": not an ELF file");
            if (image[4] != 2 || image[5] != 1)
                throw new InvalidDataException(path + ": only little-endian ELF64 is supported");

            long sectionTable = (long)ReadU64(image, 0x28);
            int entrySize = ReadU16(image, 0x3A);
            int sectionCount = ReadU16(image, 0x3C);
            if (entrySize < 64 || sectionTable < 0 || sectionTable + (long)entrySize * sectionCount > image.Length)
                throw new InvalidDataException(path + ": section header table lies outside the file");

            var offsets = new List<int>();
            for (int s = 0; s < sectionCount; s++)
            {
                int header = checked((int)(sectionTable + (long)s * entrySize));
                if (ReadU32(image, header + 4) != ShtGnuVerneed) continue;
                int sectionOffset = checked((int)ReadU64(image, header + 0x18));
                int linkedStrings = (int)ReadU32(image, header + 0x28);
                int needCount = (int)ReadU32(image, header + 0x2C);
                if (linkedStrings >= sectionCount)
                    throw new InvalidDataException(path + ": version-need section links to a missing string table");
                int stringsHeader = checked((int)(sectionTable + (long)linkedStrings * entrySize));
                int stringsOffset = checked((int)ReadU64(image, stringsHeader + 0x18));
                CollectMatches(image, sectionOffset, needCount, stringsOffset, versionName, path, offsets);
            }
            return offsets;
        }

        private static void CollectMatches(byte[] image, int need, int needCount, int strings, string versionName, string path, List<int> offsets)
        {
            for (int n = 0; n < needCount; n++)
            {
                Check(image, need, 16, path);
                int auxCount = ReadU16(image, need + 2);
                int aux = need + (int)ReadU32(image, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    Check(image, aux, 16, path);
                    string name = ReadCString(image, strings + (int)ReadU32(image, aux + 8), path);
                    if (name == versionName) offsets.Add(aux + 4); // vna_flags follows the 4-byte vna_hash
                    aux += (int)ReadU32(image, aux + 12);
                }
                need += (int)ReadU32(image, need + 12);
            }
        }

        private static string ReadCString(byte[] image, int offset, string path)
        {
            Check(image, offset, 1, path);
            int end = Array.IndexOf(image, (byte)0, offset);
            if (end < 0) throw new InvalidDataException(path + ": unterminated string in the string table");
            return Encoding.ASCII.GetString(image, offset, end - offset);
        }

        private static void Check(byte[] image, int offset, int length, string path)
        {
            if (offset < 0 || offset + length > image.Length)
                throw new InvalidDataException(path + ": version-need entry lies outside the file");
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = Array.IndexOf(haystack, needle[0]); i >= 0 && i <= haystack.Length - needle.Length;
                 i = Array.IndexOf(haystack, needle[0], i + 1))
            {
                int k = 1;
                while (k < needle.Length && haystack[i + k] == needle[k]) k++;
                if (k == needle.Length) return i;
            }
            return -1;
        }

        private static ushort ReadU16(byte[] b, int o) { return (ushort)(b[o] | (b[o + 1] << 8)); }
        private static uint ReadU32(byte[] b, int o) { return BitConverter.ToUInt32(b, o); }
        private static ulong ReadU64(byte[] b, int o) { return BitConverter.ToUInt64(b, o); }
        private static void WriteU16(byte[] b, int o, ushort v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }
    }

#if !ELF_PATCHER_WITHOUT_TASK
    /// <summary>MSBuild task: weakens one version need of a copied native library unless the host provides it.</summary>
    public sealed class WeakenVersionNeed : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required] public string File { get; set; } = "";
        [Microsoft.Build.Framework.Required] public string Version { get; set; } = "";

        public override bool Execute()
        {
            if (ElfVersionNeed.HostLibraryDefines(Version, ElfVersionNeed.HostLibStdCxxCandidates))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "host libstdc++ defines {0}; {1} left as shipped", Version, File);
                return true;
            }
            try
            {
                WeakenOutcome outcome = ElfVersionNeed.MarkWeak(File, Version);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "{0}: {1} {2}", File, Version, outcome);
                return true;
            }
            catch (Exception e) when (e is InvalidDataException || e is IOException)
            {
                Log.LogError("{0}", e.Message);
                return false;
            }
        }
    }
#endif
}
