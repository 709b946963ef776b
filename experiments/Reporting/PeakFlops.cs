using System.Globalization;

namespace Research.Experiments.Reporting;

/// <summary>
/// The float32 FMA peak of the cores a benchmark uses: cores × FMA pipes × lanes × 2 flops × clock, each factor from
/// the machine where it can be read (cores from libtorch's thread count, lanes from the CPU flags, clock from
/// <see cref="CpuFeatures"/>) and the one it cannot, the FMA pipes per core, a stated assumption: 2 (Intel Xeon
/// Gold/Platinum and later, AMD Zen 4/5 for 256-bit halves) — a 1-pipe part halves the true peak.
/// </summary>
public sealed record PeakFlops(int Cores, int FmaBits, int FmaPipes, double? ClockGHz, string ClockSource)
{
    public const int AssumedFmaPipes = 2;

    public static PeakFlops For(int cores, CpuFeatures cpu) => new(cores, cpu.FmaBits, AssumedFmaPipes, cpu.ClockGHz, cpu.ClockSource);

    /// <summary>Peak GFLOP/s, or NaN where the clock is unknown.</summary>
    public double Gflops => ClockGHz is { } ghz ? Cores * FmaPipes * (FmaBits / 32) * 2 * ghz : double.NaN;

    /// <summary>The product spelled out, for the report.</summary>
    public string Formula
    {
        get
        {
            var clock = ClockGHz is { } ghz
                ? string.Create(CultureInfo.InvariantCulture, $"{ghz:F2} GHz ({ClockSource}) = {Gflops:F0} GFLOP/s")
                : "an unknown clock: no peak";
            return string.Create(CultureInfo.InvariantCulture,
                $"{Cores} cores × {FmaPipes} FMA pipes (assumed) × {FmaBits / 32} float32 lanes ({FmaBits}-bit FMA from the CPU flags) × 2 flops × {clock}");
        }
    }

    /// <summary><paramref name="gflops"/> as a percentage of the peak, or "n/a".</summary>
    public string PercentOf(double gflops) => double.IsNaN(Gflops) || double.IsNaN(gflops)
        ? "n/a"
        : (100 * gflops / Gflops).ToString("F0", CultureInfo.InvariantCulture) + " %";
}
