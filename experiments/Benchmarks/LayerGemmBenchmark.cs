using Research.Experiments.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Benchmarks;

/// <summary>
/// One of libtorch's GEMMs in a layer call of the kernel backend (input size = hidden size), on one thread and on all of
/// libtorch's: median milliseconds of interleaved pairs. A training call runs x·W_ihᵀ and dA·W_ih once each and the
/// [4H, T·B]·[T·B, H] shape twice (dW_ih = dAᵀ·X, dW_hh = dAᵀ·H_prev).
/// </summary>
public sealed record LayerGemmResult(int Hidden, string Product, string Shape, double Gflop, double OneThreadMs, double AllThreadsMs, int Threads)
{
    public double SpeedUp => OneThreadMs / AllThreadsMs;

    public double Gflops => Gflop / AllThreadsMs * 1e3;
}

/// <summary>Measures <see cref="LayerGemmResult"/> for the three GEMM shapes of a layer call.</summary>
public static class LayerGemmBenchmark
{
    public static IReadOnlyList<LayerGemmResult> Measure(LstmBenchmarkOptions o, int hidden)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rows = o.Seq * o.Batch;
        var x = randn([rows, hidden], dtype: o.Dtype, device: o.Device);
        var wIh = randn([4 * hidden, hidden], dtype: o.Dtype, device: o.Device);
        var dA = randn([rows, 4 * hidden], dtype: o.Dtype, device: o.Device);
        var gflop = 2.0 * rows * hidden * 4 * hidden / 1e9;
        (string Product, string Shape, Action Run)[] products =
        [
            ("x·W_ihᵀ", $"[{rows}, {hidden}]·[{hidden}, {4 * hidden}]", () => x.mm(wIh.t())),
            ("dA·W_ih", $"[{rows}, {4 * hidden}]·[{4 * hidden}, {hidden}]", () => dA.mm(wIh)),
            ("dAᵀ·X", $"[{4 * hidden}, {rows}]·[{rows}, {hidden}]", () => dA.t().mm(x)),
        ];
        var threads = get_num_threads();
        var results = new List<LayerGemmResult>();
        try
        {
            foreach (var (product, shape, run) in products)
            {
                double Timed(int count)
                {
                    set_num_threads(count);
                    return StepTimer.MedianMilliseconds(() => { using var s = NewDisposeScope(); run(); }, warmup: 0, repeats: 1, o.Device);
                }
                Timed(1);
                Timed(threads);
                var (one, all) = (new List<double>(), new List<double>());
                for (var p = 0; p < (4 * o.Repeats) + 1; p++)
                {
                    if (p % 2 == 0)
                    {
                        one.Add(Timed(1));
                        all.Add(Timed(threads));
                    }
                    else
                    {
                        all.Add(Timed(threads));
                        one.Add(Timed(1));
                    }
                }
                results.Add(new LayerGemmResult(hidden, product, shape, gflop, Median.Of(one), Median.Of(all), threads));
            }
        }
        finally
        {
            set_num_threads(threads);
        }
        return results;
    }
}
