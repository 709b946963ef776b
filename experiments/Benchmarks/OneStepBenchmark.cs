using Research.Experiments.Reporting;
using Research.Models.Parity;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Benchmarks;

/// <summary>
/// A sampler's calls at one hidden size: microseconds per one-step call of the stack on batch 1, its state carried, under
/// no_grad, for backend auto, backend fast and nn.LSTM on the same weights, and auto's and fast's ratios to nn.LSTM as
/// the median of per-repeat ratios.
/// </summary>
public sealed record OneStepResult(int Hidden, double AutoUs, double FastUs, double TorchUs, double AutoRatio, double FastRatio);

/// <summary>
/// Measures <see cref="OneStepResult"/>: in every repeat a run of one-step calls of each implementation in turn, then the
/// reference product (<see cref="LstmBenchmark"/>'s interleaving).
/// </summary>
public static class OneStepBenchmark
{
    /// <summary>A sampler's batch: one sequence.</summary>
    public const int Batch = 1;

    /// <summary>One-step calls in each timed run: the median per call of a run, not of single calls (tens of µs at small sizes).</summary>
    public const int CallsPerRepeat = 20;

    public static OneStepResult Measure(LstmBenchmarkOptions o, int hidden, DisturbanceMonitor monitor)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(hidden);
        var auto = RecurrentStack.Lstm(hidden, hidden, o.Layers, device: o.Device, dtype: o.Dtype, backend: RecurrentBackendKind.Auto);
        var fast = RecurrentStack.Lstm(hidden, hidden, o.Layers, device: o.Device, dtype: o.Dtype, backend: RecurrentBackendKind.Fast);
        var torchLstm = LstmParity.ReferenceFor(auto, o.Device, o.Dtype);
        ParameterTransfer.Copy(auto, fast);
        ParameterTransfer.Copy(auto, torchLstm);
        var x = randn([1, Batch, hidden], dtype: o.Dtype, device: o.Device);
        var h0 = zeros([o.Layers, Batch, hidden], dtype: o.Dtype, device: o.Device);

        // Each runs its calls as a sampler does: the state each call returns goes into the next.
        Action Calls(Func<Tensor, Tensor, Tensor, (Tensor H, Tensor C)> step) => () =>
        {
            using var calls = NewDisposeScope();
            var (h, c) = (h0, h0);
            for (var k = 0; k < CallsPerRepeat; k++)
                (h, c) = step(x, h, c);
        };
        (Tensor, Tensor) Stack(RecurrentStack stack, Tensor input, Tensor h, Tensor c)
        {
            var (_, state) = stack.call(input, new RecurrentState(h, c));
            return (state.H, state.C!);
        }
        (Tensor, Tensor) Torch(Tensor input, Tensor h, Tensor c)
        {
            var (_, hN, cN) = torchLstm.call(input, (h, c));
            return (hN, cN);
        }

        var samples = LstmBenchmark.Interleaved([Calls((i, h, c) => Stack(auto, i, h, c)), Calls((i, h, c) => Stack(fast, i, h, c)), Calls(Torch)], o, monitor);
        foreach (var module in new nn.Module[] { auto, fast, torchLstm })
            module.Dispose();
        var microseconds = samples.Median.Select(ms => ms * 1e3 / CallsPerRepeat).ToArray();
        return new OneStepResult(hidden, microseconds[0], microseconds[1], microseconds[2], samples.RatioTo(0, 2), samples.RatioTo(1, 2));
    }
}
