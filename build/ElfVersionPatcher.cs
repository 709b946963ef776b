// Marks one required symbol version of an ELF shared library as weak (VER_FLG_WEAK) so the dynamic loader
// accepts a system library that lacks it. Used on the OUTPUT copy of TorchSharp's libLibTorchSharp.so, which
// asks for GLIBCXX_3.4.32 (GCC >= 13) only through an unused marker symbol; Debian 12's libstdc++ stops at 3.4.30.
using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class ElfVersionPatcher : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Output folder searched recursively for the library.</summary>
    [Required] public string Directory { get; set; } = "";

    [Required] public string LibraryName { get; set; } = "";

    /// <summary>The version requirement to make weak, e.g. GLIBCXX_3.4.32.</summary>
    [Required] public string VersionName { get; set; } = "";

    /// <summary>Where the system library providing the version lives (first existing path wins).</summary>
    [Required] public string[] SystemLibraryCandidates { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !System.IO.Directory.Exists(Directory))
            return true;
        var system = SystemLibraryCandidates.FirstOrDefault(File.Exists);
        if (system == null)
            return true;
        // A libstdc++ that already defines the version needs no patch: leave the file untouched.
        if (ContainsAscii(File.ReadAllBytes(system), VersionName + "\0"))
            return true;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, LibraryName, SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(path);
            var result = MarkWeak(bytes, VersionName);
            if (result == null)
            {
                Log.LogMessage(MessageImportance.High, $"ElfVersionPatcher: {path}: no {VersionName} requirement or not ELF64 LE; left as is.");
                continue;
            }
            if (result == false)
                continue; // already weak
            // Write a new file and rename over the old one so a hard link into the NuGet cache is never modified.
            var tmp = path + ".patching";
            File.WriteAllBytes(tmp, bytes);
            File.Delete(path);
            File.Move(tmp, path);
            Log.LogMessage(MessageImportance.High, $"ElfVersionPatcher: marked {VersionName} weak in {path} (system {system} lacks it).");
        }
        return true;
    }

    private static bool ContainsAscii(byte[] haystack, string needle)
    {
        // Compiled by MSBuild against netstandard2.0: no Span search, so a plain scan.
        var n = Encoding.ASCII.GetBytes(needle);
        for (int i = Array.IndexOf(haystack, n[0]); i >= 0 && i <= haystack.Length - n.Length; i = Array.IndexOf(haystack, n[0], i + 1))
        {
            int k = 1;
            while (k < n.Length && haystack[i + k] == n[k]) k++;
            if (k == n.Length) return true;
        }
        return false;
    }

    /// <returns>true if patched now, false if already weak, null if the requirement is not there.</returns>
    public static bool? MarkWeak(byte[] b, string versionName)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
            return null;
        ulong shoff = BitConverter.ToUInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A);
        int shnum = BitConverter.ToUInt16(b, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            int sh = (int)shoff + s * shentsize;
            if (BitConverter.ToUInt32(b, sh + 4) != ShtGnuVerneed)
                continue;
            int offset = (int)BitConverter.ToUInt64(b, sh + 0x18);
            int link = (int)BitConverter.ToUInt32(b, sh + 0x28);
            int strtab = (int)BitConverter.ToUInt64(b, (int)shoff + link * shentsize + 0x18);
            int vn = offset;
            while (true)
            {
                int count = BitConverter.ToUInt16(b, vn + 2);
                int va = vn + (int)BitConverter.ToUInt32(b, vn + 8);
                for (int a = 0; a < count; a++)
                {
                    int nameOff = strtab + (int)BitConverter.ToUInt32(b, va + 8);
                    int end = Array.IndexOf(b, (byte)0, nameOff);
                    if (Encoding.ASCII.GetString(b, nameOff, end - nameOff) == versionName)
                    {
                        ushort flags = BitConverter.ToUInt16(b, va + 4);
                        if ((flags & VerFlagWeak) != 0)
                            return false;
                        BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(b, va + 4);
                        return true;
                    }
                    uint nextAux = BitConverter.ToUInt32(b, va + 12);
                    if (nextAux == 0) break;
                    va += (int)nextAux;
                }
                uint next = BitConverter.ToUInt32(b, vn + 12);
                if (next == 0) break;
                vn += (int)next;
            }
        }
        return null;
    }
}
