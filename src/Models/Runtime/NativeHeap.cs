using System.Runtime.InteropServices;

namespace Research.Models.Runtime;

/// <summary>
/// Keeps the memory of freed tensors in the process for the next ones, instead of handing it back to the kernel at
/// every free and faulting it in again, page by page, at the next step. libtorch's CPU tensors come from glibc's
/// malloc. By default glibc serves each block of 128 KB and more (its threshold rises to at most 32 MB) with its own
/// mmap, unmapped again at free, and gives back any free top of the heap over twice that threshold: a training step
/// then faults in its large temporaries (logits, their gradient, gates) anew every time. Training on the 2-core AMD
/// EPYC VM (2026-12-06, docs/native-heap.md): WikiText-2 (93 MB of logits a step) 4.2 M page faults in 300 steps and
/// 3.0 k tokens/s with glibc's defaults, 0.21 M and 5.3 k with these settings; PTB small 133–474 k faults in 1,000 steps
/// and 10.9–14.3 k tokens/s with the defaults (it varied from process to process), 89–91 k and 14.0–14.6 k with them.
/// Set at start-up through <c>mallopt</c>: no mmap for any block (<see cref="MmapMax"/> 0), so every block comes from
/// the heap and is reused; the heap's free top given back only beyond <see cref="TrimThresholdBytes"/>. Both are needed:
/// setting any one value turns glibc's rising threshold off, and the trim threshold alone gave 18 M faults in 1,000 PTB
/// steps, the mmap threshold alone 2.0 M. A thread other than the process's first allocates from an arena of 64 MB heaps,
/// where a block over that size is still mapped on its own.
/// Only with glibc on Linux; left alone where the environment already tunes malloc (glibc's MALLOC_*_ variables or
/// GLIBC_TUNABLES, another allocator in LD_PRELOAD) or <see cref="EnvironmentVariable"/>=0.
/// </summary>
public static unsafe partial class NativeHeap
{
    public const string EnvironmentVariable = "RESEARCH_NATIVE_HEAP";

    /// <summary>The heap's free top beyond which glibc gives memory back: 1 GiB, above any one step's temporaries here.</summary>
    public const int TrimThresholdBytes = 1 << 30;

    /// <summary>The most blocks served by mmap: none.</summary>
    public const int MmapMax = 0;

    // mallopt's parameter numbers (glibc's malloc.h).
    private const int MTrimThreshold = -1;
    private const int MMmapMax = -4;

    /// <summary>The environment variables by which a user tunes glibc's malloc; any one of them set leaves it to them.</summary>
    public static readonly IReadOnlyList<string> UserTuning =
        ["MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_MMAP_MAX_", "MALLOC_TOP_PAD_", "MALLOC_ARENA_MAX", "GLIBC_TUNABLES"];

    private static readonly Lazy<(bool Active, string Status)> Outcome = new(Configure);

    /// <summary>Sets glibc's malloc as the class comment says, once per process, where it applies; says whether it did.</summary>
    public static bool Apply() => Outcome.Value.Active;

    /// <summary>One line for reports: how native memory is handed out and why (applies the settings first where they apply).</summary>
    public static string Status => Outcome.Value.Status;

    /// <summary>
    /// Why the settings should not be made in this process, or null where they should: not Linux, no glibc, a variable
    /// of <see cref="UserTuning"/> set, an allocator preloaded (LD_PRELOAD), or <see cref="EnvironmentVariable"/>=0.
    /// </summary>
    public static string? Obstacle(bool linux, string? glibcVersion, Func<string, string?> environment)
    {
        if (!linux)
            return "not Linux";
        if (glibcVersion is null)
            return "not glibc's malloc";
        if (environment(EnvironmentVariable) == "0")
            return $"{EnvironmentVariable}=0";
        if (UserTuning.FirstOrDefault(name => !string.IsNullOrEmpty(environment(name))) is { } tuned)
            return $"{tuned} is set";
        if (environment("LD_PRELOAD") is { Length: > 0 } preload && preload.Contains("alloc", StringComparison.Ordinal))
            return $"LD_PRELOAD={preload}";
        return null;
    }

    /// <summary><see cref="Obstacle"/> for this process.</summary>
    public static string? ObstacleHere() =>
        Obstacle(OperatingSystem.IsLinux(), GlibcVersion(), Environment.GetEnvironmentVariable);

    /// <summary>glibc's version (gnu_get_libc_version), or null where the C library is not glibc; read once.</summary>
    public static string? GlibcVersion() => Glibc.Value.Version;

    // glibc's version and whether it has mallinfo2 (2.33 on), looked up once (null and false off Linux or glibc).
    private static readonly Lazy<(string? Version, bool HasMallInfo2)> Glibc = new(() =>
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc)
            || !NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out var version))
            return (null, false);
        return (Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr>)version)()), NativeLibrary.TryGetExport(libc, "mallinfo2", out _));
    });

    private static (bool, string) Configure()
    {
        var obstacle = ObstacleHere();
        if (obstacle is not null)
            return (false, $"the C library's own malloc settings ({obstacle})");
        // mallopt answers 1 where it took the value.
        if (MallOpt(MMmapMax, MmapMax) != 1 || MallOpt(MTrimThreshold, TrimThresholdBytes) != 1)
            return (false, "glibc's own malloc settings (mallopt refused them)");
        return (true, $"glibc {GlibcVersion()} malloc: freed tensors' memory kept for reuse (no mmap, heap top trimmed beyond 1 GiB; {EnvironmentVariable}=0 leaves glibc's defaults)");
    }

    /// <summary>Bytes glibc's malloc holds in blocks of their own mmap now (mallinfo2's hblkhd), or null without glibc 2.33 or later.</summary>
    public static long? MappedBytes() => Glibc.Value.HasMallInfo2 ? (long)MallInfo2().MappedBytes : null;

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);

    [LibraryImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static partial MallInfo MallInfo2();

    // glibc's struct mallinfo2: ten size_t counters, hblkhd (bytes in mmap'd blocks) the fifth.
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo
    {
        public readonly nuint Arena, OrdinaryBlocks, FastBlocks, MappedBlocks, MappedBytes, MaxTotal, FastBytes, Used, Free, KeepCost;
    }
}
