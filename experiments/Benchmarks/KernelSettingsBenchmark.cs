using System.Diagnostics;
using Research.Experiments.Reporting;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Benchmarks;

/// <summary>
/// One setting of the step kernel: <see cref="Apply"/> sets the process-wide knobs (<see cref="LstmStepKernel.ForcedRowSplit"/>,
/// <see cref="LstmStepKernel.UseChunkBytes"/>, <see cref="LstmStepKernel.Sharing"/>, libtorch's thread count) before a kernel of this setting is made.
/// </summary>
public sealed record KernelSetting(string Name, Action Apply);

/// <summary>
/// Two settings of the step kernel at one hidden size and batch: median milliseconds of the forward steps (W_hh packed
/// beforehand) and of the backward steps (their pack included) under each, the ratios B / A as medians of adjacent pairs,
/// and whether both gave the same results bit for bit.
/// </summary>
public sealed record KernelAbResult(
    int Hidden, int Batch, int Seq, string Setting, string A, string B,
    double ForwardAMs, double ForwardBMs, double ForwardRatio,
    double BackwardAMs, double BackwardBMs, double BackwardRatio,
    int Pairs, bool SameResults)
{
    /// <summary>GFLOP/s of the products [B, H]·[H, 4H] the forward steps of <paramref name="ms"/> hold (the cell maths not counted).</summary>
    public double ForwardGflops(double ms) => 2.0 * Batch * Hidden * 4 * Hidden * Seq / (ms * 1e6);
}

/// <summary>
/// The step kernel's two ways to share a layer between threads at one size (<see cref="KernelAbResult"/> with A = units,
/// B = rows), and which split <see cref="LstmStepKernel.SplitsRows"/> picks there: whether its rule holds on this machine.
/// </summary>
public sealed record KernelSplitResult(KernelAbResult Pair, bool RowsChosen)
{
    /// <summary>Whether the chosen split was the faster one, forward and backward taken together.</summary>
    public bool ChoiceHolds => RowsChosen == Pair.ForwardRatio * Pair.BackwardRatio < 1;

    /// <summary>The chosen split's forward steps (recurrent product fused with the cell maths) as GFLOP/s of the products they hold.</summary>
    public double ForwardStepGflops => Pair.ForwardGflops(RowsChosen ? Pair.ForwardBMs : Pair.ForwardAMs);
}

/// <summary>Everything <see cref="KernelSettingsBenchmark.Measure"/> compares at one size.</summary>
public sealed record KernelSettingsResult(KernelSplitResult Split, KernelAbResult Chunks, KernelAbResult Threads, KernelAbResult? Sharing)
{
    /// <summary>The comparisons of the settings table, in its order: the block sharing only where the size runs the units split.</summary>
    public IReadOnlyList<KernelAbResult> Settings => Sharing is null ? [Chunks, Threads] : [Chunks, Threads, Sharing];
}

/// <summary>
/// In-process A/B of the step kernel's settings, each pair of settings timed in adjacent pairs whose order alternates:
/// the split between threads (units against rows), the k-chunk (24 KB, which stays in L1, against the default quarter
/// of L2), the threads (one against all of libtorch's) and, where the units split runs, the sharing of its blocks
/// (static shares against stealing). The kernel's steps only, on random gates.
/// </summary>
public static class KernelSettingsBenchmark
{
    /// <summary>An L1-sized k-chunk, the kernel's chunk before it was sized to L2 (docs/step-kernel.md).</summary>
    public const int L1ChunkBytes = 24 << 10;

    /// <summary>Seconds of pairs at least, per repeat asked for, beyond the 2·repeats + 1 pairs: a pair of hidden-200 calls takes ~3 ms.</summary>
    public const double SecondsPerRepeat = 0.2;

    /// <summary>The comparisons at this size, or null where the kernel does not run (CUDA, float64, a CPU without AVX2/FMA).</summary>
    public static KernelSettingsResult? Measure(LstmBenchmarkOptions o, int hidden)
    {
        using (var probe = empty(0, dtype: o.Dtype, device: o.Device))
        {
            if (!LstmStepKernel.AppliesTo(probe))
                return null;
        }
        var (forced, chunk, threads, sharing) = (LstmStepKernel.ForcedRowSplit, LstmStepKernel.ChunkBytes, get_num_threads(), LstmStepKernel.Sharing);
        // Before the comparisons force a split.
        var chosen = LstmStepKernel.SplitsRows(hidden, o.Batch);
        try
        {
            var split = Compare(o, hidden, "split",
                new KernelSetting("units", () => LstmStepKernel.ForcedRowSplit = false),
                new KernelSetting("rows", () => LstmStepKernel.ForcedRowSplit = true));
            // The other comparisons in the split this size runs with.
            void Default()
            {
                LstmStepKernel.ForcedRowSplit = forced;
                LstmStepKernel.UseChunkBytes(chunk);
                set_num_threads(threads);
                LstmStepKernel.Sharing = sharing;
            }
            var chunks = Compare(o, hidden, "k-chunk",
                new KernelSetting($"{L1ChunkBytes >> 10} KB", () => { Default(); LstmStepKernel.UseChunkBytes(L1ChunkBytes); }),
                new KernelSetting($"{chunk >> 10} KB (default)", Default));
            var team = Compare(o, hidden, "threads",
                new KernelSetting("1", () => { Default(); set_num_threads(1); }),
                new KernelSetting($"{threads}", Default));
            // The rows split has no blocks to share.
            var blocks = chosen ? null : Compare(o, hidden, "blocks",
                new KernelSetting("static shares", () => { Default(); LstmStepKernel.Sharing = BlockSharing.Static; }),
                new KernelSetting($"{sharing.ToString().ToLowerInvariant()} (default)", Default));
            return new KernelSettingsResult(new KernelSplitResult(split, chosen), chunks, team, blocks);
        }
        finally
        {
            LstmStepKernel.ForcedRowSplit = forced;
            LstmStepKernel.UseChunkBytes(chunk);
            set_num_threads(threads);
            LstmStepKernel.Sharing = sharing;
        }
    }

    private static KernelAbResult Compare(LstmBenchmarkOptions o, int hidden, string setting, KernelSetting a, KernelSetting b)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var inputs = randn([o.Seq, o.Batch, 4 * hidden], dtype: o.Dtype, device: o.Device);
        using var rootHidden = Math.Sqrt(hidden).ToScalar();
        var weightHh = randn([4 * hidden, hidden], dtype: o.Dtype, device: o.Device).div_(rootHidden);
        var (gates, dGates) = (empty_like(inputs), empty_like(inputs));
        var h0 = zeros([o.Batch, hidden], dtype: o.Dtype, device: o.Device);
        var cells = zeros([o.Seq + 1, o.Batch, hidden], dtype: o.Dtype, device: o.Device);
        var output = empty([o.Seq, o.Batch, hidden], dtype: o.Dtype, device: o.Device);
        var gradients = randn([o.Seq, o.Batch, hidden], dtype: o.Dtype, device: o.Device);
        var (dH, dC) = (empty_like(gradients), zeros([o.Batch, hidden], dtype: o.Dtype, device: o.Device));
        var settings = new[] { a, b };
        var kernels = new List<LstmStepKernel>();
        try
        {
            foreach (var s in settings)
            {
                s.Apply();
                kernels.Add(LstmStepKernel.ForForward(weightHh, o.Batch));
            }
            // One forward and one backward pass of a setting; gates and gradients restored outside the clock.
            (double Forward, double Backward) Pass(int which)
            {
                settings[which].Apply();
                gates.copy_(inputs);
                var forward = StepTimer.MedianMilliseconds(() => kernels[which].ForwardSteps(gates, h0, cells, output), warmup: 0, repeats: 1, o.Device);
                dH.copy_(gradients);
                dC.zero_();
                var backward = StepTimer.MedianMilliseconds(() => LstmStepKernel.RunBackward(dGates, dH, dC, gates, cells, weightHh), warmup: 0, repeats: 1, o.Device);
                return (forward, backward);
            }
            // First passes untimed; their results are what "same results" compares.
            var results = new List<(Tensor Output, Tensor DGates)>();
            foreach (var which in new[] { 0, 1 })
            {
                Pass(which);
                results.Add((output.clone(), dGates.clone()));
            }
            var same = results[0].Output.equal(results[1].Output).all().item<bool>() && results[0].DGates.equal(results[1].DGates).all().item<bool>();
            var (first, second) = (new List<(double Forward, double Backward)>(), new List<(double Forward, double Backward)>());
            var clock = Stopwatch.StartNew();
            for (var p = 0; p < (2 * o.Repeats) + 1 || clock.Elapsed.TotalSeconds < SecondsPerRepeat * o.Repeats || p % 2 == 0; p++)
            {
                if (p % 2 == 0)
                {
                    first.Add(Pass(0));
                    second.Add(Pass(1));
                }
                else
                {
                    second.Add(Pass(1));
                    first.Add(Pass(0));
                }
            }
            return new KernelAbResult(hidden, o.Batch, o.Seq, setting, a.Name, b.Name,
                Median.Of(first.Select(r => r.Forward)), Median.Of(second.Select(r => r.Forward)), Median.Of(second.Zip(first, (y, x) => y.Forward / x.Forward)),
                Median.Of(first.Select(r => r.Backward)), Median.Of(second.Select(r => r.Backward)), Median.Of(second.Zip(first, (y, x) => y.Backward / x.Backward)),
                first.Count, same);
        }
        finally
        {
            foreach (var kernel in kernels)
                kernel.Dispose();
        }
    }
}
