using System.Globalization;
using static TorchSharp.torch;

namespace Research.Experiments.Benchmarks;

/// <summary>
/// What `research bench lstm` measures; <see cref="CommandLine"/> is the exact command that reproduces it.
/// <see cref="Warmup"/> and <see cref="WarmupSeconds"/>: the untimed warm-up of each implementation, at least that many
/// steps and at least that long (<see cref="WarmUp"/>). <see cref="Force"/>: write the report even where the run was
/// contended. <see cref="KernelWidth"/>: the step kernel's vector width in bits (256 or 512), or null for the widest this
/// CPU runs.
/// </summary>
public sealed record LstmBenchmarkOptions(
    IReadOnlyList<int> HiddenSizes, int Layers, int Batch, int Seq, ScalarType Dtype, Device Device,
    int Repeats, int Warmup, double WarmupSeconds, int MemorySteps, int MemoryHidden, bool Force = false, int? KernelWidth = null)
{
    public string DtypeName => Dtype == ScalarType.Float64 ? "float64" : "float32";

    public string CommandLine =>
        $"scripts/research bench lstm --hidden {string.Join(',', HiddenSizes)} --layers {Layers} --batch {Batch} --seq {Seq} " +
        $"--dtype {DtypeName} --device {Device} --repeats {Repeats} --warmup {Warmup} --warmup-seconds {WarmupSeconds.ToString(CultureInfo.InvariantCulture)} --memory-steps {MemorySteps} --memory-hidden {MemoryHidden}" +
        (KernelWidth is { } bits ? $" --kernel-width {bits}" : "");

    /// <summary>GEMM FLOPs of one forward pass: 2·T·B·4H·(in+H) per layer, input size = hidden size.</summary>
    public double ForwardFlops(int hidden) => Layers * 2.0 * Seq * Batch * 4 * hidden * (hidden + hidden);

    /// <summary>Of <see cref="ForwardFlops"/>, the part done by the per-step recurrent products h·W_hhᵀ.</summary>
    public double RecurrentForwardFlops(int hidden) => Layers * 2.0 * Seq * Batch * 4 * hidden * hidden;
}
