namespace Research.Experiments.Reporting;

/// <summary>The median of a sample: the middle value, or halfway between the two middle values of an even count.</summary>
public static class Median
{
    public static double Of(IEnumerable<double> values) => Quantile.Of(values, 0.5)[0];
}
