using Research.Experiments.Reporting;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Benchmarks;

/// <summary>
/// The step kernel's two ways to share a layer between threads at one hidden size and batch: median milliseconds of
/// the forward steps (W_hh packed beforehand) and of the backward steps (their pack included) with batch rows split and
/// with hidden units split, the ratio rows / units of each as the median of adjacent pairs, and which split
/// <see cref="LstmStepKernel.SplitsRows"/> picks for this size: whether its rule holds on this machine.
/// </summary>
public sealed record KernelSplitResult(
    int Hidden, int Batch, int Seq, bool RowsChosen,
    double ForwardRowsMs, double ForwardUnitsMs, double ForwardRatio,
    double BackwardRowsMs, double BackwardUnitsMs, double BackwardRatio)
{
    /// <summary>Whether the chosen split was the faster one, forward and backward taken together.</summary>
    public bool ChoiceHolds => RowsChosen == ForwardRatio * BackwardRatio < 1;

    /// <summary>
    /// The chosen split's forward steps (recurrent product fused with the cell maths; W_hh packed beforehand) as GFLOP/s
    /// of the products [B, H]·[H, 4H] they hold.
    /// </summary>
    public double ForwardStepGflops => 2.0 * Batch * Hidden * 4 * Hidden * Seq / ((RowsChosen ? ForwardRowsMs : ForwardUnitsMs) * 1e6);
}

/// <summary>Measures <see cref="KernelSplitResult"/>: the two splits in adjacent pairs whose order alternates.</summary>
public static class KernelSplitBenchmark
{
    /// <summary>The comparison at this size, or null where the kernel does not run (CUDA, float64, a CPU without AVX2/FMA).</summary>
    public static KernelSplitResult? Measure(LstmBenchmarkOptions o, int hidden)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var inputs = randn([o.Seq, o.Batch, 4 * hidden], dtype: o.Dtype, device: o.Device);
        if (!LstmStepKernel.AppliesTo(inputs))
            return null;
        using var rootHidden = Math.Sqrt(hidden).ToScalar();
        var weightHh = randn([4 * hidden, hidden], dtype: o.Dtype, device: o.Device).div_(rootHidden);
        var (gates, dGates) = (empty_like(inputs), empty_like(inputs));
        var h0 = zeros([o.Batch, hidden], dtype: o.Dtype, device: o.Device);
        var cells = zeros([o.Seq + 1, o.Batch, hidden], dtype: o.Dtype, device: o.Device);
        var output = empty([o.Seq, o.Batch, hidden], dtype: o.Dtype, device: o.Device);
        var gradients = randn([o.Seq, o.Batch, hidden], dtype: o.Dtype, device: o.Device);
        var (dH, dC) = (empty_like(gradients), zeros([o.Batch, hidden], dtype: o.Dtype, device: o.Device));
        var chosen = LstmStepKernel.SplitsRows(hidden, o.Batch);
        var forced = LstmStepKernel.ForcedRowSplit;
        var kernels = new List<LstmStepKernel>();
        try
        {
            foreach (var splitRows in new[] { false, true })
            {
                LstmStepKernel.ForcedRowSplit = splitRows;
                kernels.Add(LstmStepKernel.ForForward(weightHh, o.Batch));
            }
            // One forward and one backward pass of a split (0 units, 1 rows); gates and gradients restored outside the clock.
            (double Forward, double Backward) Pass(int split)
            {
                gates.copy_(inputs);
                var forward = StepTimer.MedianMilliseconds(() => kernels[split].ForwardSteps(gates, h0, cells, output), warmup: 0, repeats: 1, o.Device);
                dH.copy_(gradients);
                dC.zero_();
                LstmStepKernel.ForcedRowSplit = split == 1;
                var backward = StepTimer.MedianMilliseconds(() => LstmStepKernel.RunBackward(dGates, dH, dC, gates, cells, weightHh), warmup: 0, repeats: 1, o.Device);
                return (forward, backward);
            }
            Pass(0);
            Pass(1);
            var pairs = (2 * o.Repeats) + 1;
            var (units, rows) = (new (double Forward, double Backward)[pairs], new (double Forward, double Backward)[pairs]);
            for (var p = 0; p < pairs; p++)
            {
                if (p % 2 == 0)
                    (units[p], rows[p]) = (Pass(0), Pass(1));
                else
                    (rows[p], units[p]) = (Pass(1), Pass(0));
            }
            return new KernelSplitResult(hidden, o.Batch, o.Seq, chosen,
                Median.Of(rows.Select(r => r.Forward)), Median.Of(units.Select(u => u.Forward)), Median.Of(rows.Zip(units, (r, u) => r.Forward / u.Forward)),
                Median.Of(rows.Select(r => r.Backward)), Median.Of(units.Select(u => u.Backward)), Median.Of(rows.Zip(units, (r, u) => r.Backward / u.Backward)));
        }
        finally
        {
            LstmStepKernel.ForcedRowSplit = forced;
            foreach (var kernel in kernels)
                kernel.Dispose();
        }
    }
}
