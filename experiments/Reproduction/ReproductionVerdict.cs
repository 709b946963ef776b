using System.Globalization;
using Research.Experiments.Settings;

namespace Research.Experiments.Reproduction;

/// <summary>How our number stands against the published one.</summary>
public enum Verdict
{
    /// <summary>No run has been recorded.</summary>
    NotRun,

    /// <summary>Within the tolerance of the published value, or the published finding (threshold) holds.</summary>
    Reproduced,

    /// <summary>Outside the tolerance on the good side of the metric.</summary>
    Better,

    /// <summary>Outside the tolerance on the bad side, or the finding does not hold.</summary>
    Worse,

    /// <summary>Nothing was published to compare with (e.g. char-rnn's loss): the number is recorded as measured.</summary>
    Measured,
}

/// <summary>
/// The verdict rules, one place. With a published value: |ours − published| ≤ tolerance (relative × published, or
/// absolute) is reproduced, otherwise better or worse by the metric's direction. With a threshold: the finding holds
/// (ours below it, or above it with expect: above) is reproduced; a miss is worse, unless ours lies on the good side
/// of a finding that says the method fails (then better).
/// </summary>
public static class ReproductionVerdict
{
    public static Verdict Judge(ReferenceSettings reference, double? ours)
    {
        if (ours is not { } value)
            return Verdict.NotRun;
        if (reference.Published is { } published)
        {
            var tolerance = reference.ToleranceAbs ?? (reference.Tolerance ?? 0) * Math.Abs(published);
            if (Math.Abs(value - published) <= tolerance)
                return Verdict.Reproduced;
            return IsBetter(reference.Direction, value, published) ? Verdict.Better : Verdict.Worse;
        }
        if (reference.Threshold is { } threshold)
        {
            var holds = reference.Expect == ThresholdSide.Below ? value < threshold : value > threshold;
            if (holds)
                return Verdict.Reproduced;
            return IsBetter(reference.Direction, value, threshold) ? Verdict.Better : Verdict.Worse;
        }
        return Verdict.Measured;
    }

    /// <summary>ours − published, with the relative difference; or where ours lies against the threshold.</summary>
    public static string Difference(ReferenceSettings reference, double? ours)
    {
        if (ours is not { } value)
            return "";
        if (reference.Published is { } published)
        {
            var relative = published == 0 ? "" : $" ({Signed(100 * (value - published) / Math.Abs(published), "F1")} %)";
            return Signed(value - published, "G4") + relative;
        }
        if (reference.Threshold is { } threshold)
            return $"{(value < threshold ? "<" : value > threshold ? ">" : "=")} {Number(threshold)}";
        return "";
    }

    /// <summary>For compare_with: ours against the other reproduction's measured value, relative.</summary>
    public static (double relative, bool within) Compare(ReferenceSettings reference, double ours, double other)
    {
        var relative = (ours - other) / Math.Abs(other);
        return (relative, Math.Abs(relative) <= (reference.CompareTolerance ?? 0));
    }

    public static string Label(Verdict verdict) => verdict switch
    {
        Verdict.NotRun => "not run",
        Verdict.Reproduced => "reproduced",
        Verdict.Better => "better",
        Verdict.Worse => "worse",
        Verdict.Measured => "measured",
        _ => verdict.ToString(),
    };

    /// <summary>What was published: the value, or the finding as a bound ("&lt; 0.01"), or a dash.</summary>
    public static string Published(ReferenceSettings r) =>
        r.Published is { } p ? Number(p)
        : r.Threshold is { } t ? $"{(r.Expect == ThresholdSide.Below ? "<" : ">")} {Number(t)}"
        : "—";

    /// <summary>The estimate shown while a reproduction has not been run.</summary>
    public static string Estimate(ReferenceSettings r) =>
        r.EstimatedMinutes is { } m ? $"est. {m.ToString("0.#", CultureInfo.InvariantCulture)} min" : "";

    public static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static bool IsBetter(MetricDirection direction, double value, double than) =>
        direction == MetricDirection.Lower ? value < than : value > than;

    private static string Signed(double value, string format) =>
        (value >= 0 ? "+" : "") + value.ToString(format, CultureInfo.InvariantCulture);
}
