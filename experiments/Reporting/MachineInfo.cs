using System.Runtime.InteropServices;
using Research.Models.Runtime;

namespace Research.Experiments.Reporting;

/// <summary>What a reported number was measured on: recorded beside every timing and result.</summary>
/// <remarks>
/// <see cref="CpuFlags"/>: the vector-instruction flags of /proc/cpuinfo that decide which kernels run (see
/// <see cref="CpuFeatures"/>). <see cref="Mkl"/>: which of MKL's kernels libtorch's products got (<see cref="MklVendorShim"/>).
/// <see cref="Heap"/>: how native memory, tensors' included, is handed out (<see cref="NativeHeap"/>).
/// </remarks>
public sealed record MachineInfo(string Cpu, int LogicalCores, string Os, string DotNet, string TorchSharp, string LibTorch, string Device, string CpuFlags, string Mkl, string Heap)
{
    public static MachineInfo Current(string device) => new(
        CpuModel(), Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
        TorchRuntime.TorchSharpVersion, TorchRuntime.LibTorchVersion, device, string.Join(' ', CpuFeatures.Current().SimdFlags), MklVendorShim.Status, NativeHeap.Status);

    public override string ToString() =>
        $"{Cpu} ({CpuFlags}), {LogicalCores} logical cores, {Os}, {DotNet}, TorchSharp {TorchSharp} (libtorch {LibTorch}), device {Device}; {Mkl}; {Heap}";

    private static string CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (File.Exists(cpuinfo))
        {
            var line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
