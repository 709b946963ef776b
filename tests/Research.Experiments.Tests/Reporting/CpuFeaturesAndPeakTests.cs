using Research.Experiments.Reporting;

namespace Research.Experiments.Tests.Reporting;

public sealed class CpuFeaturesAndPeakTests
{
    private const string Avx512Cpu = "processor\t: 0\nmodel name\t: Some Xeon\ncpu MHz\t\t: 2100.000\nflags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512bw avx512dq avx512_vnni avx512_bf16\n\n";

    [Fact]
    public void FlagsAndClockComeFromCpuinfoAndTheFmaWidthFromTheFlags()
    {
        var cpu = CpuFeatures.Parse(Avx512Cpu, maxKHz: null);
        Assert.Equal(["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512_vnni", "avx512_bf16"], cpu.SimdFlags);
        Assert.Equal(512, cpu.FmaBits);
        Assert.Equal(2.1, cpu.ClockGHz);
        Assert.Contains("cpu MHz", cpu.ClockSource, StringComparison.Ordinal);
        Assert.Equal(256, CpuFeatures.Parse("flags\t: avx avx2 fma\n", null).FmaBits);
        Assert.Equal(128, CpuFeatures.Parse("flags\t: sse4_2\n", null).FmaBits);
        Assert.True(CpuFeatures.Parse("flags\t: avx512f avx512_bf16\n", null).HasBFloat16Products);
        Assert.True(CpuFeatures.Parse("flags\t: amx_tile amx_bf16\n", null).HasBFloat16Products);
        Assert.False(CpuFeatures.Parse("flags\t: avx512f avx512bw\n", null).HasBFloat16Products);
    }

    [Fact]
    public void CpufreqsMaximumWinsOverTheCurrentClock()
    {
        var cpu = CpuFeatures.Parse(Avx512Cpu, maxKHz: "3700000\n");
        Assert.Equal(3.7, cpu.ClockGHz);
        Assert.Equal("cpufreq cpuinfo_max_freq", cpu.ClockSource);
    }

    [Fact]
    public void ThePeakIsCoresTimesPipesTimesLanesTimesTwoTimesTheClockAndSaysHow()
    {
        // The example: 2 cores × 2 512-bit FMA pipes × 16 lanes × 2 flops × 3.7 GHz ≈ 474 GFLOP/s.
        var peak = PeakFlops.For(2, CpuFeatures.Parse(Avx512Cpu, maxKHz: "3700000"));
        Assert.Equal(2 * 2 * 16 * 2 * 3.7, peak.Gflops, 6);
        Assert.Contains("2 cores × 2 FMA pipes (assumed) × 16 float32 lanes (512-bit FMA from the CPU flags) × 2 flops × 3.70 GHz", peak.Formula, StringComparison.Ordinal);
        Assert.Equal("50 %", peak.PercentOf(peak.Gflops / 2));
        var unknown = PeakFlops.For(2, CpuFeatures.Parse("flags\t: avx2 fma\n", null));
        Assert.True(double.IsNaN(unknown.Gflops));
        Assert.Equal("n/a", unknown.PercentOf(100));
        Assert.Contains("unknown clock", unknown.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void AMeasuredThroughputIsThePeakAndTheComputedOneStaysBesideIt()
    {
        var computed = PeakFlops.For(2, CpuFeatures.Parse(Avx512Cpu, maxKHz: "2100000"));
        var measured = computed with { MeasuredGflops = 320 };
        Assert.Equal(320, measured.Gflops);
        Assert.Equal(2 * 2 * 16 * 2 * 2.1, measured.ComputedGflops, 6);
        // 320 / (2 cores × 2 pipes × 16 lanes × 2 flops) = 2.50 GHz: the clock the cores really held.
        Assert.Contains("320 GFLOP/s measured", measured.Formula, StringComparison.Ordinal);
        Assert.Contains("2.50 GHz with 2 pipes", measured.Formula, StringComparison.Ordinal);
        Assert.Contains("computed: 2 cores", measured.Formula, StringComparison.Ordinal);
        Assert.Equal("50 %", measured.PercentOf(160));
    }

    [Fact]
    public void TheFmaThroughputIsPositiveWhereTheCpuHasAvx512()
    {
        var gflops = FmaThroughput.MeasureGflops(1);
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported || !System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            Assert.True(double.IsNaN(gflops));
        else
            Assert.True(gflops > 0);
    }
}
