using System.Globalization;

namespace Research.Experiments.Reporting;

/// <summary>
/// The first and third quartiles of a sample, interpolated linearly between the sorted values (NumPy's default): the
/// middle half of a benchmark's per-round ratios, printed beside their median so that a reader sees how far the rounds
/// agreed.
/// </summary>
public static class Quartiles
{
    public static (double Low, double High) Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            throw new ArgumentException("the quartiles of no values are undefined", nameof(values));
        return (At(sorted, 0.25), At(sorted, 0.75));
    }

    /// <summary>A ratio's quartiles as a report prints them: "0.93–1.04".</summary>
    public static string Text((double Low, double High) quartiles) =>
        string.Create(CultureInfo.InvariantCulture, $"{quartiles.Low:F2}–{quartiles.High:F2}");

    private static double At(double[] sorted, double quantile)
    {
        var position = quantile * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        return below + 1 < sorted.Length ? sorted[below] + ((position - below) * (sorted[below + 1] - sorted[below])) : sorted[below];
    }
}
