using System.Globalization;

namespace Research.Experiments.Logging;

/// <summary>How numbers are spelled in metrics files: invariant culture, shortest round-trip form, pandas' inf/nan words.</summary>
internal static class MetricText
{
    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static double ParseDouble(string text) => text.Trim().ToLowerInvariant() switch
    {
        "inf" or "+inf" or "infinity" or "+infinity" => double.PositiveInfinity,
        "-inf" or "-infinity" => double.NegativeInfinity,
        "nan" or "-nan" => double.NaN,
        var other => double.Parse(other, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
