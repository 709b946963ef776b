using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Research.Experiments.Reporting;

/// <summary>
/// The float32 FMA throughput the cores really reach: one thread per core, each running ten independent chains of
/// vector FMAs (enough to hide the 4-cycle latency on two pipes) 512 bits wide, all at once. It is
/// the physical limit a GEMM can approach, measured at the clock the cores actually hold under that load, so it needs
/// neither the turbo clock (a VM's /proc/cpuinfo shows only the nominal one) nor the pipe count. AVX-512 only: other
/// CPUs keep the computed peak (<see cref="PeakFlops"/>).
/// </summary>
public static class FmaThroughput
{
    private const int ChainCount = 10;
    private const long Iterations = 20_000_000;

    // Written so the JIT cannot drop the chains as dead code.
    private static float sink;

    /// <summary>GFLOP/s of <paramref name="threads"/> threads together (best of three runs), or NaN without AVX-512.</summary>
    public static double MeasureGflops(int threads)
    {
        const int lanes = 16;
        if (!Avx512F.IsSupported || !Vector512.IsHardwareAccelerated || threads < 1)
            return double.NaN;
        var best = 0.0;
        for (var run = 0; run < 3; run++)
        {
            using var start = new Barrier(threads + 1);
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
            {
                start.SignalAndWait();
                sink += Chains();
            })).ToList();
            workers.ForEach(w => w.Start());
            start.SignalAndWait();
            var clock = Stopwatch.StartNew();
            workers.ForEach(w => w.Join());
            var flops = (double)threads * Iterations * ChainCount * lanes * 2;
            best = Math.Max(best, flops / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains()
    {
        var (m, a) = (Vector512.Create(0.999999f), Vector512.Create(1e-7f));
        Vector512<float> c0 = Vector512<float>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
        for (long i = 0; i < Iterations; i++)
        {
            c0 = Avx512F.FusedMultiplyAdd(c0, m, a);
            c1 = Avx512F.FusedMultiplyAdd(c1, m, a);
            c2 = Avx512F.FusedMultiplyAdd(c2, m, a);
            c3 = Avx512F.FusedMultiplyAdd(c3, m, a);
            c4 = Avx512F.FusedMultiplyAdd(c4, m, a);
            c5 = Avx512F.FusedMultiplyAdd(c5, m, a);
            c6 = Avx512F.FusedMultiplyAdd(c6, m, a);
            c7 = Avx512F.FusedMultiplyAdd(c7, m, a);
            c8 = Avx512F.FusedMultiplyAdd(c8, m, a);
            c9 = Avx512F.FusedMultiplyAdd(c9, m, a);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9);
    }
}
