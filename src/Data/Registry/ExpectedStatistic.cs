namespace Research.Data.Registry;

/// <summary>
/// A statistic a dataset must show once loaded the project's way (e.g. "train tokens" = "929589"), with the code that
/// measures it from the dataset folder. Verification compares the two as strings, so the expectation is exact.
/// </summary>
public sealed record ExpectedStatistic(string Name, string Expected, Func<string, string> Measure);
