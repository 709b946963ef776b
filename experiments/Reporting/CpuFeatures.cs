namespace Research.Experiments.Reporting;

/// <summary>
/// What /proc/cpuinfo says about the first CPU: its vector-instruction flags and its clock, so a report records
/// which instructions its numbers could use and a peak can be computed from the machine rather than written down.
/// </summary>
public sealed record CpuFeatures(IReadOnlyList<string> SimdFlags, double? ClockGHz, string ClockSource)
{
    // The flags that decide which kernels run: libtorch's (oneDNN, MKL) and the C# step kernel's.
    private static readonly string[] Relevant =
    [
        "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16",
        "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8",
    ];

    public static CpuFeatures Current()
    {
        const string cpuinfo = "/proc/cpuinfo";
        const string maxFrequency = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";
        var text = File.Exists(cpuinfo) ? File.ReadAllText(cpuinfo) : "";
        var maxKHz = File.Exists(maxFrequency) ? File.ReadAllText(maxFrequency).Trim() : null;
        return Parse(text, maxKHz);
    }

    /// <summary>
    /// Flags and clock from the text of /proc/cpuinfo; <paramref name="maxKHz"/> (cpufreq's cpuinfo_max_freq, absent
    /// under most hypervisors) wins over the "cpu MHz" line, which is the current or nominal clock, not the turbo.
    /// </summary>
    public static CpuFeatures Parse(string cpuinfo, string? maxKHz)
    {
        var lines = cpuinfo.Split('\n');
        var flags = Value(lines, "flags")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet() ?? [];
        var simd = Relevant.Where(flags.Contains).ToArray();
        if (double.TryParse(maxKHz, System.Globalization.CultureInfo.InvariantCulture, out var khz) && khz > 0)
            return new CpuFeatures(simd, khz / 1e6, "cpufreq cpuinfo_max_freq");
        if (double.TryParse(Value(lines, "cpu MHz"), System.Globalization.CultureInfo.InvariantCulture, out var mhz) && mhz > 0)
            return new CpuFeatures(simd, mhz / 1e3, "/proc/cpuinfo 'cpu MHz' (the current or nominal clock; turbo may run faster)");
        return new CpuFeatures(simd, null, "unknown");
    }

    /// <summary>Whether oneDNN has bfloat16 product instructions here (AVX512_BF16 or AMX-BF16), not an emulation.</summary>
    public bool HasBFloat16Products => SimdFlags.Contains("avx512_bf16") || SimdFlags.Contains("amx_bf16");

    /// <summary>The widest FMA vector in bits these flags allow: 512 (AVX-512 F), 256 (AVX2 + FMA) or 128.</summary>
    public int FmaBits => SimdFlags.Contains("avx512f") ? 512 : SimdFlags.Contains("fma") ? 256 : 128;

    private static string? Value(string[] lines, string key)
    {
        var line = lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal) && l.AsSpan(key.Length).TrimStart().StartsWith(":"));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
