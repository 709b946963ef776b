using Research.Experiments.Logging;

namespace Research.Experiments.Tests.Logging;

/// <summary>Records with awkward values (many digits, tiny, huge, non-finite) so round trips are really tested.</summary>
internal static class SampleRecords
{
    public static MetricRecord[] Steps(long from, long to, int epoch) =>
    [
        .. Enumerable.Range((int)from, (int)(to - from + 1)).SelectMany(step => new[]
        {
            new MetricRecord(1_795_000_000.123456789 + step, step, epoch, "train", "loss", (1.0 / 3.0) + step),
            new MetricRecord(1_795_000_000.5 + step, step, epoch, "train", "lr", 1e-3 * Math.Pow(0.999, step)),
        }),
    ];

    public static readonly MetricRecord[] Awkward =
    [
        new(1_795_000_000.1, 1, 0, "valid", "perplexity", Math.PI * 1e10),
        new(1_795_000_000.2, 2, 0, "valid", "loss", double.Epsilon),
        new(1_795_000_000.3, 3, 0, "test", "loss", double.NaN),
        new(1_795_000_000.4, 4, 0, "test", "loss", double.PositiveInfinity),
        new(1_795_000_000.5, 5, 0, "test", "loss", double.NegativeInfinity),
        new(1_795_000_000.6, 6, 0, "train", "tokens/s, \"smoothed\"", -0.0),
        new(1_795_000_000.7, long.MaxValue, int.MaxValue, "train", "grad_norm", 0.1 + 0.2),
    ];
}
