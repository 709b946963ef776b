namespace Research.Data.TimeSeries;

/// <summary>
/// Applies <see cref="FillMissing"/> to a series just read: checks its time index against the step (given or
/// inferred), then lists the gaps as an error, fills them (with the empty cells), or leaves the rows as they are.
/// A step that is not a whole number of steps (90 minutes in hourly data) is always an error unless the policy is
/// <see cref="FillMissing.None"/>: no fill can make it regular.
/// </summary>
public static class MissingSteps
{
    private const int ListedSteps = 6;

    public static TimeSeriesFrame Apply(TimeSeriesFrame frame, FillMissing fill, SeriesFrequency? frequency, RowPlaces places)
    {
        if (fill == FillMissing.None)
            return frame;
        var timestamps = frame.Timestamps.ToArray();
        var origin = Enumerable.Range(0, frame.RowCount).ToArray();
        var values = frame.Values.ToArray();
        if (frame.RowCount >= 2)
        {
            var report = frequency is { } given
                ? TimeIndexAnalysis.Analyze(timestamps, frame.Source, given)
                : TimeIndexAnalysis.Analyze(timestamps, frame.Source);
            if (report.OffGridSteps.Count > 0)
            {
                var s = report.OffGridSteps[0];
                throw new DataException($"{places.At(s.Row)}: {places.TimeColumn}: '{TimestampFormat.Show(s.Current)}' is not a whole number of " +
                    $"{report.Frequency} steps after '{TimestampFormat.Show(s.Previous)}' ({places.Row(s.Row - 1)}); " +
                    "give the step with frequency, or fill_missing: none to read the rows as they are");
            }
            if (report.Gaps.Count > 0)
            {
                if (fill == FillMissing.Error)
                    throw GapError(report, places);
                (timestamps, values, origin) = InsertMissingRows(frame, report);
            }
        }
        if (fill is FillMissing.Forward or FillMissing.Linear)
            FillEmpty(values, frame.ColumnCount, origin, fill, places);
        return TimeSeriesFrame.Wrap(frame.Source, timestamps, [.. frame.ColumnNames], values);
    }

    private static DataException GapError(TimeIndexReport report, RowPlaces places)
    {
        var first = report.Gaps[0];
        var missing = report.Gaps
            .SelectMany(g => Enumerable.Range(1, g.MissingSteps).Select(k => (Time: report.Frequency.Advance(g.LastBefore, k), Before: g.RowAfter)))
            .ToList();
        var listed = string.Join(", ", missing.Take(ListedSteps).Select(m => $"{TimestampFormat.Show(m.Time)} (before {places.Row(m.Before)})"));
        var more = missing.Count > ListedSteps ? $" and {missing.Count - ListedSteps} more" : "";
        return new DataException($"{places.At(first.RowAfter)}: {places.TimeColumn}: {missing.Count} missing step(s) of {report.Frequency} in " +
            $"{report.Gaps.Count} gap(s): {listed}{more}; fill_missing: forward or linear fills them, none reads the rows as consecutive steps");
    }

    /// <summary>The rows with a NaN row at every missing step; origin[r] is the row read, or -1 for an inserted one.</summary>
    private static (DateTime[] Timestamps, double[] Values, int[] Origin) InsertMissingRows(TimeSeriesFrame frame, TimeIndexReport report)
    {
        var width = frame.ColumnCount;
        var rows = frame.RowCount + report.MissingSteps;
        var timestamps = new DateTime[rows];
        var values = new double[rows * width];
        var origin = new int[rows];
        var gapAfter = report.Gaps.ToDictionary(g => g.RowAfter);
        var target = 0;
        for (var r = 0; r < frame.RowCount; r++)
        {
            if (gapAfter.TryGetValue(r, out var gap))
            {
                for (var k = 1; k <= gap.MissingSteps; k++)
                {
                    timestamps[target] = report.Frequency.Advance(gap.LastBefore, k);
                    values.AsSpan(target * width, width).Fill(double.NaN);
                    origin[target++] = -1;
                }
            }
            timestamps[target] = frame.Timestamps[r];
            frame.Row(r).CopyTo(values.AsSpan(target * width, width));
            origin[target++] = r;
        }
        return (timestamps, values, origin);
    }

    private static void FillEmpty(double[] values, int width, int[] origin, FillMissing fill, RowPlaces places)
    {
        var rows = origin.Length;
        for (var c = 0; c < width; c++)
        {
            var previous = -1; // the last row with a value in this column
            for (var r = 0; r < rows; r++)
            {
                if (!double.IsNaN(values[(r * width) + c]))
                {
                    if (fill == FillMissing.Linear && previous >= 0 && previous < r - 1)
                        Interpolate(values, width, c, previous, r);
                    previous = r;
                    continue;
                }
                if (previous < 0)
                    throw new DataException($"{places.At(FirstRead(origin, r))}: {places.Column(c)}: an empty cell with no value before it to fill it from");
                if (fill == FillMissing.Forward)
                {
                    values[(r * width) + c] = values[(previous * width) + c];
                    previous = r;
                }
            }
            if (fill == FillMissing.Linear && previous < rows - 1)
                throw new DataException($"{places.At(FirstRead(origin, previous + 1))}: {places.Column(c)}: an empty cell with no value after it to interpolate to");
        }
    }

    private static void Interpolate(double[] values, int width, int column, int left, int right)
    {
        var (a, b) = (values[(left * width) + column], values[(right * width) + column]);
        for (var r = left + 1; r < right; r++)
            values[(r * width) + column] = a + ((b - a) * (r - left) / (right - left));
    }

    // Inserted rows sit between read rows, so an empty cell at either end is always in a row that was read.
    private static int FirstRead(int[] origin, int row)
    {
        for (var r = row; r < origin.Length; r++)
        {
            if (origin[r] >= 0)
                return origin[r];
        }
        return origin[row];
    }
}
