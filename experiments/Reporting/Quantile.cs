namespace Research.Experiments.Reporting;

/// <summary>
/// Quantiles of a sample, interpolated linearly between its sorted values (NumPy's default): the one definition behind
/// <see cref="Median"/> and <see cref="Quartiles"/>.
/// </summary>
public static class Quantile
{
    /// <summary>The sample's quantile at each of <paramref name="quantiles"/> (0 to 1), sorting it once.</summary>
    public static double[] Of(IEnumerable<double> values, params double[] quantiles)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            throw new ArgumentException("the quantiles of no values are undefined", nameof(values));
        return [.. quantiles.Select(q => At(sorted, q))];
    }

    private static double At(double[] sorted, double quantile)
    {
        var position = quantile * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        return below + 1 < sorted.Length ? sorted[below] + ((position - below) * (sorted[below + 1] - sorted[below])) : sorted[below];
    }
}
