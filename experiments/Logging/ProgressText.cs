using System.Globalization;
using System.Text;

namespace Research.Experiments.Logging;

/// <summary>How progress lines spell metrics and durations, shared by the live and the plain console reporters.</summary>
internal static class ProgressText
{
    public static string Metrics(IReadOnlyDictionary<string, double> metrics)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in metrics)
        {
            if (text.Length > 0)
                text.Append("  ");
            text.Append(name).Append(' ').Append(Number(name, value));
        }

        return text.ToString();
    }

    // Learning rates read best in scientific notation, throughputs as whole numbers, the rest with 5 digits.
    public static string Number(string name, double value) =>
        name.Contains("lr", StringComparison.OrdinalIgnoreCase) ? value.ToString("0.00e+00", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 10_000 ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("G5", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:D2}m")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m{span.Seconds:D2}s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0}s");
}
