using System.Diagnostics;
using System.Globalization;
using Research.Experiments.Reporting;
using Research.Models.Language;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Benchmarks;

/// <summary>One model's loss timing: the fused and libtorch's softmax cross-entropy, forward + backward, medians in ms, and the median of the pairs' ratios.</summary>
public sealed record LossTiming(string Model, int Rows, int Classes, int Pairs, double FusedMs, double LibtorchMs, double Ratio);

/// <summary>
/// `bench lm`'s loss table: the softmax cross-entropy of one training step's logits [T·B, V] and its gradient, the
/// fused kernel (<see cref="SoftmaxCrossEntropy"/>) against libtorch's cross_entropy, timed in adjacent pairs whose
/// order alternates, so a change of the host's speed lands on both sides of a pair; the ratio is the median of the
/// pairs' ratios (&lt; 1: the fused loss is faster). Where the fused kernel does not apply (CUDA) there is nothing to
/// compare: both sides would be libtorch's.
/// </summary>
public static class LossBenchmark
{
    private const int WarmupPairs = 3;

    public static LossTiming? Measure(string model, int rows, int classes, int pairs, Device device)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        var logits = randn([rows, classes], generator: generator).to(device);
        if (!SoftmaxCrossEntropy.AppliesTo(logits))
            return null;
        var targets = randint(classes, [rows], dtype: ScalarType.Int64, generator: generator).to(device);
        var (fused, libtorch) = (new double[pairs], new double[pairs]);
        for (var p = -WarmupPairs; p < pairs; p++)
        {
            var fusedFirst = p % 2 == 0;
            var first = Time(fusedFirst);
            var second = Time(!fusedFirst);
            if (p < 0)
                continue;
            (fused[p], libtorch[p]) = fusedFirst ? (first, second) : (second, first);
        }
        return new LossTiming(model, rows, classes, pairs, Median.Of(fused), Median.Of(libtorch), Median.Of(fused.Zip(libtorch, (f, l) => f / l)));

        double Time(bool useFused)
        {
            using var step = NewDisposeScope();
            var input = logits.detach().requires_grad_();
            var clock = Stopwatch.StartNew();
            SoftmaxCrossEntropy.Loss(input, targets, fused: useFused).backward();
            if (device.type == DeviceType.CUDA)
                cuda.synchronize(device);
            return clock.Elapsed.TotalMilliseconds;
        }
    }

    /// <summary>The timings as a table.</summary>
    public static MarkdownTable Table(IEnumerable<LossTiming> timings)
    {
        var table = new MarkdownTable("model", "logits [N, V]", "pairs", "fused ms", "libtorch ms", "fused / libtorch");
        foreach (var t in timings)
        {
            table.Add(t.Model, $"[{t.Rows}, {t.Classes}]", t.Pairs.ToString(CultureInfo.InvariantCulture),
                t.FusedMs.ToString("F2", CultureInfo.InvariantCulture), t.LibtorchMs.ToString("F2", CultureInfo.InvariantCulture),
                t.Ratio.ToString("F2", CultureInfo.InvariantCulture));
        }
        return table;
    }
}
