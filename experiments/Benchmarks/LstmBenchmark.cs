using System.Diagnostics;
using Research.Experiments.Reporting;
using Research.Models.Optimization;
using Research.Models.Parity;
using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Experiments.Benchmarks;

/// <summary>
/// One LSTM size: median milliseconds of each implementation and the ratios to nn.LSTM measured beside them.
/// "Fast" is the fast path with its step loops in libtorch ops, "kernel" the same with <see cref="LstmStepKernel"/>.
/// </summary>
public sealed record LstmSizeResult(
    int Hidden,
    double ReadableTrainMs, double FastTrainMs, double KernelTrainMs, double TorchTrainMs,
    double ReadableInferMs, double FastInferMs, double KernelInferMs, double TorchInferMs,
    double ReadableTrainRatio, double FastTrainRatio, double KernelTrainRatio,
    double ReadableInferRatio, double FastInferRatio, double KernelInferRatio,
    double TrainGflop, double InferGflop,
    double SmallGemmGflops, double FastTrainGemmFloorMs, double FastInferGemmFloorMs,
    KernelSettingsResult? Kernel,
    IReadOnlyList<LayerGemmResult> LayerGemms,
    OneStepResult OneStep,
    (double Low, double High) KernelTrainRatioQuartiles,
    (double Low, double High) KernelInferRatioQuartiles)
{
    /// <summary>The step kernel's forward steps alone, in the split it picks, as GFLOP/s; NaN where the kernel does not apply.</summary>
    public double KernelStepGflops => Kernel?.Split.ForwardStepGflops ?? double.NaN;
}

/// <summary>Everything `bench lstm` measured, with whether the run was disturbed and the peak its GFLOP/s compare with.</summary>
public sealed record LstmBenchmarkResult(
    IReadOnlyList<LstmSizeResult> Sizes, LstmMemoryResult Memory, double LargeGemmGflops, DisturbanceVerdict Verdict, PeakFlops Peak);

/// <summary>
/// Live tensors and resident memory before, after a tenth of, and after many fast-path training steps. The first tenth
/// warms up (JIT, allocator pools); a leak shows as growth over the other nine tenths.
/// </summary>
public sealed record LstmMemoryResult(
    int Hidden, int Steps, long LiveTensorsBefore, long LiveTensorsAfter,
    double RssBeforeMiB, double RssAfterTenthMiB, double RssAfterMiB, double PeakRssMiB);

/// <summary>
/// `research bench lstm`: the readable, fast (step loops in libtorch ops) and auto (the step kernel where it applies)
/// LSTM stacks and nn.LSTM on the same weights and input, training step (forward + backward of the sum of the outputs,
/// input requiring grad) and inference (no_grad), all in one process. The four are timed in turn within each repeat,
/// so a burst of load from other processes hits all of them; each ratio is the median over repeats of
/// (implementation ms / nn.LSTM ms) of the same repeat.
/// </summary>
public static class LstmBenchmark
{
    public static LstmBenchmarkResult Run(LstmBenchmarkOptions options, TextWriter progress)
    {
        // The reference product at the start of the timed sizes, after every repeat and at the end: what tells a quiet run
        // from a disturbed one. Taken before the memory run instead, the first sample was 1.6–3.4 × the others' median in
        // 7 of 19 runs on the AMD VM (2026-12-06), though nothing compared ran then (docs/step-kernel.md).
        using var monitor = new DisturbanceMonitor();
        // Memory first, so the peak RSS it reports is that of the small model and not of the largest size.
        progress.WriteLine($"memory: {options.MemorySteps} fast-path training steps at hidden {options.MemoryHidden}...");
        var memory = MeasureMemory(options);
        var largeGemm = LargeGemmGflops(options);
        progress.WriteLine($"large GEMM 2048x2048x2048: {largeGemm:F0} GFLOP/s");
        var sizes = new List<LstmSizeResult>();
        monitor.Open();
        foreach (var hidden in options.HiddenSizes)
        {
            progress.WriteLine($"hidden {hidden}...");
            sizes.Add(MeasureSize(options, hidden, largeGemm, monitor));
        }
        monitor.Sample();
        var disagreements = sizes.SelectMany(s => new[]
        {
            DisturbanceVerdict.RatioDisagreement($"hidden {s.Hidden} kernel train", s.KernelTrainRatio, s.KernelTrainMs, s.TorchTrainMs),
            DisturbanceVerdict.RatioDisagreement($"hidden {s.Hidden} kernel infer", s.KernelInferRatio, s.KernelInferMs, s.TorchInferMs),
        }).OfType<string>();
        var verdict = monitor.Verdict().With(disagreements);
        var peak = PeakFlops.Measured(monitor.Cores, CpuFeatures.Current());
        progress.WriteLine(verdict.Summary);
        progress.WriteLine($"peak: {peak.Formula}");
        return new LstmBenchmarkResult(sizes, memory, largeGemm, verdict, peak);
    }

    private static LstmSizeResult MeasureSize(LstmBenchmarkOptions o, int hidden, double largeGemmGflops, DisturbanceMonitor monitor)
    {
        manual_seed(hidden);
        var readable = RecurrentStack.Lstm(hidden, hidden, o.Layers, device: o.Device, dtype: o.Dtype, backend: RecurrentBackendKind.Readable);
        var fast = RecurrentStack.Lstm(hidden, hidden, o.Layers, device: o.Device, dtype: o.Dtype, backend: RecurrentBackendKind.Fast);
        // Auto: the kernel where it applies (float32 on an AVX2/FMA CPU), else the fast path again.
        var kernel = RecurrentStack.Lstm(hidden, hidden, o.Layers, device: o.Device, dtype: o.Dtype, backend: RecurrentBackendKind.Auto);
        var torchLstm = LstmParity.ReferenceFor(readable, o.Device, o.Dtype);
        ParameterTransfer.Copy(readable, fast);
        ParameterTransfer.Copy(readable, kernel);
        ParameterTransfer.Copy(readable, torchLstm);
        var x = randn([o.Seq, o.Batch, hidden], dtype: o.Dtype, device: o.Device).requires_grad_();

        Action Train(nn.Module module, Func<Tensor, Tensor> forward) => () =>
        {
            using var scope = NewDisposeScope();
            module.zero_grad();
            Backpropagation.Run(forward(x).sum()); // as the trainer's backward
        };
        Action Infer(Func<Tensor, Tensor> forward) => () =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            forward(x);
        };
        Tensor ReadableForward(Tensor input) => readable.call(input).output;
        Tensor FastForward(Tensor input) => fast.call(input).output;
        Tensor KernelForward(Tensor input) => kernel.call(input).output;
        Tensor TorchForward(Tensor input) => torchLstm.call(input).Item1;

        var train = Interleaved([Train(readable, ReadableForward), Train(fast, FastForward), Train(kernel, KernelForward), Train(torchLstm, TorchForward)], o, monitor);
        var infer = Interleaved([Infer(ReadableForward), Infer(FastForward), Infer(KernelForward), Infer(TorchForward)], o, monitor);

        var smallGemm = SmallGemmGflops(o, hidden);
        var kernelSettings = KernelSettingsBenchmark.Measure(o, hidden);
        var layerGemms = LayerGemmBenchmark.Measure(o, hidden);
        var oneStep = OneStepBenchmark.Measure(o, hidden, monitor);
        // The fast path's floor if its GEMMs ran at the rates measured above and nothing else cost anything: the
        // per-step recurrent products (forward h·W_hhᵀ, backward dA·W_hh) at the small-GEMM rate, the rest at the large one.
        var recurrent = o.RecurrentForwardFlops(hidden);
        var forwardFlops = o.ForwardFlops(hidden);
        var trainFloor = (2 * recurrent / smallGemm + (3 * forwardFlops - 2 * recurrent) / largeGemmGflops) / 1e6;
        var inferFloor = (recurrent / smallGemm + (forwardFlops - recurrent) / largeGemmGflops) / 1e6;

        foreach (var module in new nn.Module[] { readable, fast, kernel, torchLstm })
            module.Dispose();
        var (tm, im) = (train.Median, infer.Median);
        return new LstmSizeResult(hidden,
            tm[0], tm[1], tm[2], tm[3], im[0], im[1], im[2], im[3],
            train.RatioTo(0, 3), train.RatioTo(1, 3), train.RatioTo(2, 3),
            infer.RatioTo(0, 3), infer.RatioTo(1, 3), infer.RatioTo(2, 3),
            3 * forwardFlops / 1e9, forwardFlops / 1e9, smallGemm, trainFloor, inferFloor, kernelSettings, layerGemms, oneStep,
            train.RatioQuartiles(2, 3), infer.RatioQuartiles(2, 3));
    }

    internal sealed record Samples(double[][] Times)
    {
        public double[] Median => Times.Select(Reporting.Median.Of).ToArray();

        public double RatioTo(int implementation, int reference) => Reporting.Median.Of(Ratios(implementation, reference));

        /// <summary>The middle half of the per-round ratios <see cref="RatioTo"/> takes the median of.</summary>
        public (double Low, double High) RatioQuartiles(int implementation, int reference) => Quartiles.Of(Ratios(implementation, reference));

        private IEnumerable<double> Ratios(int implementation, int reference) => Times[implementation].Zip(Times[reference], (a, b) => a / b);
    }

    /// <summary>
    /// Warm-up for each, then in every repeat one timed step of each implementation in turn (in an order that changes
    /// every repeat, <see cref="TurnOrder"/>), each right after one untimed step of its own so that what the one before
    /// it left behind (its data in the caches, libtorch's threads asleep or spinning) is not timed, and the reference product;
    /// a repeat the reference says the machine slowed down in is timed again (<see cref="DisturbanceMonitor.KeepRound"/>).
    /// </summary>
    internal static Samples Interleaved(Action[] steps, LstmBenchmarkOptions o, DisturbanceMonitor monitor)
    {
        foreach (var step in steps)
            WarmUp.Run(step, o.Warmup, TimeSpan.FromSeconds(o.WarmupSeconds));
        var times = steps.Select(_ => new double[o.Repeats]).ToArray();
        for (var r = 0; r < o.Repeats; r++)
        {
            var round = monitor.Round(() => TurnOrder.Run(steps.Length, r, i => StepTimer.MedianMilliseconds(steps[i], warmup: 1, repeats: 1, o.Device)));
            for (var s = 0; s < steps.Length; s++)
                times[s][r] = round[s];
        }
        return new Samples(times);
    }

    private static double LargeGemmGflops(LstmBenchmarkOptions o)
    {
        const int n = 2048;
        using var scope = NewDisposeScope();
        var a = randn([n, n], dtype: o.Dtype, device: o.Device);
        var b = randn([n, n], dtype: o.Dtype, device: o.Device);
        var ms = StepTimer.MedianMilliseconds(() => { using var s = NewDisposeScope(); a.mm(b); }, warmup: 2, repeats: 5, o.Device);
        return 2.0 * n * n * n / (ms * 1e6);
    }

    /// <summary>The fast path's per-step product, [B, H]·[H, 4H] added in place into a preallocated gate buffer.</summary>
    private static double SmallGemmGflops(LstmBenchmarkOptions o, int hidden)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var h = randn([o.Batch, hidden], dtype: o.Dtype, device: o.Device);
        var wT = randn([4 * hidden, hidden], dtype: o.Dtype, device: o.Device).t();
        var gates = zeros([o.Batch, 4 * hidden], dtype: o.Dtype, device: o.Device);
        const int calls = 50;
        var ms = StepTimer.MedianMilliseconds(() =>
        {
            for (var k = 0; k < calls; k++)
                gates.addmm_(h, wT, beta: 1, alpha: 1);
        }, warmup: 2, repeats: 9, o.Device) / calls;
        return 2.0 * o.Batch * hidden * 4 * hidden / (ms * 1e6);
    }

    private static LstmMemoryResult MeasureMemory(LstmBenchmarkOptions o)
    {
        manual_seed(1);
        var hidden = o.MemoryHidden;
        var fast = RecurrentStack.Lstm(hidden, hidden, o.Layers, device: o.Device, dtype: o.Dtype, backend: RecurrentBackendKind.Fast);
        using var optimizer = new Sgd(fast.parameters(), 0.1);
        var x = randn([o.Seq, o.Batch, hidden], dtype: o.Dtype, device: o.Device);
        RecurrentState? state = null;
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            var (y, next) = fast.call(x, state);
            Backpropagation.Run(y.sum());
            optimizer.Step();
            // Carried, detached state as in truncated BPTT: the one thing that outlives the step.
            state?.Dispose();
            state = next.Detach().MoveToOuterDisposeScope();
        }
        Step();
        var (liveBefore, rssBefore, _) = MemoryNow();
        var tenth = o.MemorySteps / 10;
        for (var k = 0; k < tenth; k++)
            Step();
        var (_, rssAfterTenth, _) = MemoryNow();
        for (var k = tenth; k < o.MemorySteps; k++)
            Step();
        var (liveAfter, rssAfter, peak) = MemoryNow();
        fast.Dispose();
        return new LstmMemoryResult(hidden, o.MemorySteps, liveBefore, liveAfter, rssBefore, rssAfterTenth, rssAfter, peak);
    }

    private static (long LiveTensors, double RssMiB, double PeakRssMiB) MemoryNow()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (Tensor.TotalCount, process.WorkingSet64 / 1048576.0, process.PeakWorkingSet64 / 1048576.0);
    }
}
