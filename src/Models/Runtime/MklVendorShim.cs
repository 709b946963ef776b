using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace Research.Models.Runtime;

/// <summary>
/// Gives libtorch's matrix products MKL's AVX-512 kernels on AMD CPUs. oneMKL, which libtorch's float32 GEMMs call,
/// takes those kernels only where <c>mkl_serv_intel_cpu_true()</c> says the CPU is Intel's; on an AMD CPU with AVX-512
/// it falls back to kernels at about half the speed (152–161 against 332–398 GFLOP/s on a 2-core Zen 5 VM,
/// docs/mkl-on-amd.md). <see cref="LibraryName"/> (build/mkl_vendor_shim.c, compiled beside libtorch at build time)
/// defines that one function to return 1. Loaded here into the process's global scope, it is the definition libtorch's
/// call binds to, so MKL then picks its kernels from the CPU's instruction flags alone. It must load before MKL's first
/// product, which decides once per process: <see cref="TorchRuntime.EnsureLoaded"/> loads it before libtorch.
/// Only on Linux x64 with an AMD CPU that has AVX-512 F; off with <see cref="EnvironmentVariable"/>=0.
/// </summary>
public static partial class MklVendorShim
{
    public const string EnvironmentVariable = "RESEARCH_MKL_SHIM";
    public const string LibraryName = "libresearch_mkl_shim.so";
    private const string Function = "mkl_serv_intel_cpu_true";
    private const int RtldLazy = 0x1;
    private const int RtldNow = 0x2;
    private const int RtldNoLoad = 0x4;
    private const int RtldGlobal = 0x100;

    private static readonly Lazy<(bool Active, string Status)> Outcome = new(Load);

    /// <summary>Loads the shim where it applies (once per process) and says whether it did.</summary>
    public static bool Apply() => Outcome.Value.Active;

    /// <summary>One line for reports: which kernels MKL was given and why (loads the shim first where it applies).</summary>
    public static string Status => Outcome.Value.Status;

    /// <summary>
    /// Why the shim should not load on this machine, or null where it should: not Linux x64, a CPU that is not AMD or
    /// lacks AVX-512 F (MKL's own choice is then right or unmeasured), <see cref="EnvironmentVariable"/>=0, or no shim
    /// built (no C compiler at build time).
    /// </summary>
    public static string? Obstacle(bool linuxX64, string cpuVendor, bool avx512F, string? environment, bool shimBuilt) =>
        !linuxX64 ? "not Linux x64"
        : cpuVendor != "AuthenticAMD" ? $"{(cpuVendor == "GenuineIntel" ? "an Intel" : $"a '{cpuVendor}'")} CPU"
        : !avx512F ? "an AMD CPU without AVX-512"
        : environment == "0" ? $"{EnvironmentVariable}=0"
        : !shimBuilt ? $"{LibraryName} was not built (no C compiler at build time)"
        : null;

    /// <summary>Where the shim is looked for: beside this assembly.</summary>
    public static string LibraryPath { get; } =
        Path.Combine(Path.GetDirectoryName(typeof(MklVendorShim).Assembly.Location) ?? AppContext.BaseDirectory, LibraryName);

    /// <summary><see cref="Obstacle"/> for this process: its platform, CPU, environment and <see cref="LibraryPath"/>.</summary>
    public static string? ObstacleHere() => Obstacle(
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.ProcessArchitecture == Architecture.X64,
        CpuVendor(), Avx512F.IsSupported, Environment.GetEnvironmentVariable(EnvironmentVariable), File.Exists(LibraryPath));

    private static (bool, string) Load()
    {
        var obstacle = ObstacleHere();
        if (obstacle is not null)
            return (false, $"MKL's own kernel choice ({obstacle})");
        // Already loaded libtorch binds the function lazily, at MKL's first call: the shim still applies unless a product ran.
        var libtorchFirst = DlOpen("libtorch_cpu.so", RtldLazy | RtldNoLoad) != IntPtr.Zero;
        var shim = DlOpen(LibraryPath, RtldNow | RtldGlobal);
        if (shim == IntPtr.Zero)
            return (false, $"MKL's own kernel choice ({LibraryName} did not load: {Marshal.PtrToStringUTF8(DlError())})");
        if (DlSym(IntPtr.Zero, Function) != DlSym(shim, Function))
            return (false, $"MKL's own kernel choice (another {Function} comes first in the process's global scope)");
        return (true, "MKL's AVX-512 kernels on this AMD CPU (its vendor check answered by " + LibraryName + ")"
            + (libtorchFirst ? "; libtorch had loaded first, so this holds only if no product ran before" : ""));
    }

    /// <summary>The CPUID vendor string (GenuineIntel, AuthenticAMD, ...), empty off x86.</summary>
    public static string CpuVendor()
    {
        if (!X86Base.IsSupported)
            return "";
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> bytes = stackalloc byte[12];
        BitConverter.TryWriteBytes(bytes[0..4], ebx);
        BitConverter.TryWriteBytes(bytes[4..8], edx);
        BitConverter.TryWriteBytes(bytes[8..12], ecx);
        return Encoding.ASCII.GetString(bytes);
    }

    [LibraryImport("libdl.so.2", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlOpen(string path, int flags);

    [LibraryImport("libdl.so.2", EntryPoint = "dlsym", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlSym(IntPtr handle, string symbol);

    [LibraryImport("libdl.so.2", EntryPoint = "dlerror")]
    private static partial IntPtr DlError();
}
