using System.Globalization;

namespace Research.Data.TimeSeries;

/// <summary>
/// Missing steps between two consecutive rows. <see cref="RowAfter"/> is the 0-based row index of the first row after
/// the gap (add 2 for the line in a CSV file with a header).
/// </summary>
public sealed record TimeGap(int RowAfter, DateTime LastBefore, DateTime FirstAfter, int MissingSteps)
{
    public override string ToString() =>
        $"{MissingSteps} missing step(s) between {LastBefore.ToString("s", CultureInfo.InvariantCulture)} (row {RowAfter - 1}) " +
        $"and {FirstAfter.ToString("s", CultureInfo.InvariantCulture)} (row {RowAfter})";
}

/// <summary>A step that is not a whole number of frequency steps (e.g. 90 minutes in hourly data): not a plain gap.</summary>
public sealed record OffGridStep(int Row, DateTime Previous, DateTime Current)
{
    public override string ToString() =>
        $"row {Row}: {Current.ToString("s", CultureInfo.InvariantCulture)} is not a whole number of steps after {Previous.ToString("s", CultureInfo.InvariantCulture)}";
}

/// <summary>What <see cref="TimeIndexAnalysis"/> found: the inferred frequency and every place the index breaks it.</summary>
public sealed record TimeIndexReport(SeriesFrequency Frequency, IReadOnlyList<TimeGap> Gaps, IReadOnlyList<OffGridStep> OffGridSteps)
{
    public bool IsRegular => Gaps.Count == 0 && OffGridSteps.Count == 0;

    public int MissingSteps => Gaps.Sum(g => g.MissingSteps);

    public override string ToString() =>
        IsRegular
            ? $"regular, every {Frequency}"
            : $"every {Frequency}; {Gaps.Count} gap(s) with {MissingSteps} missing step(s), {OffGridSteps.Count} off-grid step(s): " +
              string.Join("; ", Gaps.Select(g => g.ToString()).Concat(OffGridSteps.Select(s => s.ToString())).Take(5));
}
