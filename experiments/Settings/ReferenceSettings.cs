using System.ComponentModel.DataAnnotations;
using Research.Experiments.Config;

namespace Research.Experiments.Settings;

/// <summary>Whether smaller or larger values of a metric are better.</summary>
public enum MetricDirection
{
    Lower,
    Higher,
}

/// <summary>
/// The published result a reproduction config is compared with (configs/repro/*.yaml). Either a published value
/// with a tolerance (relative or absolute), or a published finding stated as a threshold the metric should be below
/// (or above); with neither, the run is only measured. `research reproduce` reads this block to give its verdict.
/// </summary>
public sealed class ReferenceSettings : IValidatedSettings
{
    /// <summary>Paper and table (or repository and commit) the number comes from.</summary>
    public string? Source { get; set; }

    /// <summary>Path of the metric in summary.json, e.g. test.perplexity or test.mse.</summary>
    public string? Metric { get; set; }

    public string Split { get; set; } = "test";

    public MetricDirection Direction { get; set; } = MetricDirection.Lower;

    /// <summary>The published value of the metric, when the source gives one.</summary>
    public double? Published { get; set; }

    /// <summary>Relative tolerance around the published value: 0.03 means within 3 %.</summary>
    [Range(0.0, 10.0)]
    public double? Tolerance { get; set; }

    /// <summary>Absolute tolerance around the published value, in the metric's units.</summary>
    [Range(0.0, 1e12)]
    public double? ToleranceAbs { get; set; }

    /// <summary>A published finding as a bound: the metric should be below it (above it with expect: above).</summary>
    public double? Threshold { get; set; }

    /// <summary>below: the finding holds when the metric is under the threshold; above: when it is over it.</summary>
    public ThresholdSide Expect { get; set; } = ThresholdSide.Below;

    /// <summary>A trivial predictor's value of the metric, shown beside ours (e.g. the adding problem's 0.167).</summary>
    public double? Baseline { get; set; }

    public string? BaselineName { get; set; }

    /// <summary>Where the run measures its baseline itself (e.g. test.seasonal_naive_mape_original); shown beside ours.</summary>
    public string? BaselineMetric { get; set; }

    /// <summary>Another reproduction whose measured value this one must match within compare_tolerance (relative).</summary>
    public string? CompareWith { get; set; }

    [Range(0.0, 10.0)]
    public double? CompareTolerance { get; set; }

    /// <summary>
    /// A published per-epoch curve of the epoch-mean training loss (train/loss in metrics.csv), by epoch number:
    /// e.g. Keras's printed 2.29 / 1.31 / 1.20 at epochs 1 / 10 / 40. The report shows ours at the same epochs beside it.
    /// </summary>
    public Dictionary<string, double>? PublishedCurve { get; set; }

    /// <summary>Expected wall time on the reference CPU (2 cores), shown while the run has not been made.</summary>
    [Range(0.0, 1e6)]
    public double? EstimatedMinutes { get; set; }

    /// <summary>Groups rows into sections of docs/results.md.</summary>
    public string Group { get; set; } = "Other";

    public IEnumerable<ConfigProblem> Validate()
    {
        if (Tolerance is not null && ToleranceAbs is not null)
            yield return new(nameof(ToleranceAbs), "give tolerance (relative) or tolerance_abs, not both");
        if ((Tolerance is not null || ToleranceAbs is not null) && Published is null)
            yield return new(nameof(Published), "a tolerance needs the published value it applies to");
        if (CompareTolerance is not null && CompareWith is null)
            yield return new(nameof(CompareTolerance), "compare_tolerance needs compare_with");
        foreach (var epoch in (PublishedCurve ?? []).Keys.Where(k => !int.TryParse(k, System.Globalization.CultureInfo.InvariantCulture, out var e) || e < 1))
            yield return new(nameof(PublishedCurve), $"keys are epoch numbers from 1, got '{epoch}'");
    }
}

/// <summary>Which side of a threshold the published finding puts the metric.</summary>
public enum ThresholdSide
{
    Below,
    Above,
}
