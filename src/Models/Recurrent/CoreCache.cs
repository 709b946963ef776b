using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace Research.Models.Recurrent;

/// <summary>
/// The size of one core's level-2 cache, which decides how <see cref="LstmStepKernel"/> splits a layer between threads.
/// Read from Linux's sysfs, else from CPUID (a VM whose sysfs lists no caches, as this project's AMD VM), else 1 MiB.
/// </summary>
public static class CoreCache
{
    private const long Unknown = 1 << 20;

    /// <summary>Bytes of cpu0's level-2 data or unified cache.</summary>
    public static long L2Bytes { get; } = ReadL2() ?? CpuIdL2Bytes() ?? Unknown;

    /// <summary>The L2 size CPUID leaf 0x80000006 gives (ECX bits 31–16, in KB, on AMD and Intel alike); null off x86 or where it says 0.</summary>
    public static long? CpuIdL2Bytes()
    {
        if (!X86Base.IsSupported || (uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax < 0x80000006)
            return null;
        var kilobytes = (uint)X86Base.CpuId(unchecked((int)0x80000006), 0).Ecx >> 16;
        return kilobytes == 0 ? null : (long)kilobytes << 10;
    }

    private static long? ReadL2()
    {
        const string caches = "/sys/devices/system/cpu/cpu0/cache";
        if (!Directory.Exists(caches))
            return null;
        foreach (var index in Directory.EnumerateDirectories(caches, "index*"))
        {
            var level = File.ReadAllText(Path.Combine(index, "level")).Trim();
            var type = File.ReadAllText(Path.Combine(index, "type")).Trim();
            if (level == "2" && type is "Data" or "Unified")
                return Parse(File.ReadAllText(Path.Combine(index, "size")).Trim());
        }
        return null;
    }

    // sysfs writes "2048K" or "2M"; a bare number is bytes.
    private static long? Parse(string size)
    {
        var (digits, unit) = size.Length > 0 && char.IsLetter(size[^1]) ? (size[..^1], char.ToUpperInvariant(size[^1])) : (size, 'B');
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return null;
        return unit switch
        {
            'K' => value << 10,
            'M' => value << 20,
            'B' => value,
            _ => null,
        };
    }
}
