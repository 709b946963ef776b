using System.Globalization;

namespace Research.Experiments.Sweeps;

/// <summary>How a random-search key is drawn.</summary>
public enum RandomDistribution
{
    Uniform,
    LogUniform,
    Choice,
}

/// <summary>
/// One key of a sweep's `random:` block: `{uniform: [a, b]}`, `{log_uniform: [a, b]}` or `{choice: [...]}`. Drawn
/// numbers are rounded to 4 significant digits, so the manifest shows the value the trial really used.
/// </summary>
public sealed record RandomParameter(string Key, RandomDistribution Distribution, double Low, double High, IReadOnlyList<string> Choices, int Line)
{
    public string Sample(Random random)
    {
        var u = random.NextDouble();
        return Distribution switch
        {
            RandomDistribution.Uniform => Round(Low + (u * (High - Low))),
            RandomDistribution.LogUniform => Round(Math.Exp(Math.Log(Low) + (u * (Math.Log(High) - Math.Log(Low))))),
            _ => Choices[Math.Min((int)(u * Choices.Count), Choices.Count - 1)],
        };
    }

    private static string Round(double value) => double.Parse(value.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
        .ToString("R", CultureInfo.InvariantCulture);
}
