using System.Globalization;

namespace Research.Experiments.Reporting;

/// <summary>
/// The first and third quartiles of a sample (<see cref="Quantile"/>): the middle half of a benchmark's per-round ratios,
/// printed beside their median so that a reader sees how far the rounds agreed.
/// </summary>
public static class Quartiles
{
    public static (double Low, double High) Of(IEnumerable<double> values)
    {
        var q = Quantile.Of(values, 0.25, 0.75);
        return (q[0], q[1]);
    }

    /// <summary>A ratio's quartiles as a report prints them: "0.93–1.04".</summary>
    public static string Text((double Low, double High) quartiles) =>
        string.Create(CultureInfo.InvariantCulture, $"{quartiles.Low:F2}–{quartiles.High:F2}");
}
