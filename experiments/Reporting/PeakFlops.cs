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
    /// <summary>
    /// The FMA throughput the cores reached together (<see cref="FmaThroughput"/>), NaN where not measured. When it is
    /// there it is the peak: it holds the clock the cores really run at, which /proc/cpuinfo may not show.
    /// </summary>
    public double MeasuredGflops { get; init; } = double.NaN;

    public const int AssumedFmaPipes = 2;

    public static PeakFlops For(int cores, CpuFeatures cpu) => new(cores, cpu.FmaBits, AssumedFmaPipes, cpu.ClockGHz, cpu.ClockSource);

    /// <summary>The computed peak with the cores' FMA throughput measured beside it (what benchmarks report).</summary>
    public static PeakFlops Measured(int cores, CpuFeatures cpu) => For(cores, cpu) with { MeasuredGflops = FmaThroughput.MeasureGflops(cores) };

    /// <summary>Peak GFLOP/s: the measured FMA throughput, else the computed one, or NaN where the clock is unknown.</summary>
    public double Gflops => double.IsNaN(MeasuredGflops) ? ComputedGflops : MeasuredGflops;

    /// <summary>cores × pipes × lanes × 2 × clock, or NaN where the clock is unknown.</summary>
    public double ComputedGflops => ClockGHz is { } ghz ? Cores * FmaPipes * (FmaBits / 32) * 2 * ghz : double.NaN;

    /// <summary>The product spelled out, for the report.</summary>
    public string Formula
    {
        get
        {
            var clock = ClockGHz is { } ghz
                ? string.Create(CultureInfo.InvariantCulture, $"{ghz:F2} GHz ({ClockSource}) = {ComputedGflops:F0} GFLOP/s")
                : "an unknown clock: no peak";
            var computed = string.Create(CultureInfo.InvariantCulture,
                $"{Cores} cores × {FmaPipes} FMA pipes (assumed) × {FmaBits / 32} float32 lanes ({FmaBits}-bit FMA from the CPU flags) × 2 flops × {clock}");
            if (double.IsNaN(MeasuredGflops))
                return computed;
            // The clock the measured throughput implies under the same assumptions, so the two read side by side.
            var effective = MeasuredGflops / (Cores * FmaPipes * (FmaBits / 32) * 2);
            return string.Create(CultureInfo.InvariantCulture,
                $"{MeasuredGflops:F0} GFLOP/s measured ({Cores} threads of independent {FmaBits}-bit FMA chains at once, i.e. {effective:F2} GHz with {FmaPipes} pipes); computed: {computed}");
        }
    }

    /// <summary><paramref name="gflops"/> as a percentage of the peak, or "n/a".</summary>
    public string PercentOf(double gflops) => double.IsNaN(Gflops) || double.IsNaN(gflops)
        ? "n/a"
        : (100 * gflops / Gflops).ToString("F0", CultureInfo.InvariantCulture) + " %";
}
