namespace Research.Data.TimeSeries;

/// <summary>
/// Infers the frequency of a time index and reports its gaps. It never fills them: whether to interpolate, drop or
/// split a series at a gap is a modelling decision for the caller.
/// </summary>
public static class TimeIndexAnalysis
{
    public static TimeIndexReport Analyze(TimeSeriesFrame frame) => Analyze(frame.Timestamps, frame.Source);

    /// <summary>
    /// Calendar months when every step keeps the day of month and time of day (or stays at month ends), the median
    /// step otherwise. The median, not the minimum, so a few gaps or one odd step do not change the answer.
    /// </summary>
    public static TimeIndexReport Analyze(ReadOnlySpan<DateTime> timestamps, string source)
    {
        if (timestamps.Length < 2)
            throw DataException.In(source, $"cannot infer a frequency from {timestamps.Length} timestamp(s); need at least 2");
        for (var i = 1; i < timestamps.Length; i++)
        {
            if (timestamps[i] <= timestamps[i - 1])
                throw DataException.In(source, $"row {i}: timestamps are not strictly increasing");
        }
        return MonthSteps(timestamps) is { } months ? AnalyzeMonths(timestamps, months) : AnalyzeDurations(timestamps);
    }

    private static int[]? MonthSteps(ReadOnlySpan<DateTime> t)
    {
        var steps = new int[t.Length - 1];
        for (var i = 1; i < t.Length; i++)
        {
            var a = t[i - 1];
            var b = t[i];
            var aligned = a.TimeOfDay == b.TimeOfDay &&
                (a.Day == b.Day || (SeriesFrequency.IsMonthEnd(a) && SeriesFrequency.IsMonthEnd(b)));
            if (!aligned)
                return null;
            steps[i - 1] = ((b.Year - a.Year) * 12) + b.Month - a.Month;
        }
        return steps;
    }

    private static TimeIndexReport AnalyzeMonths(ReadOnlySpan<DateTime> t, int[] steps)
    {
        var frequency = SeriesFrequency.EveryMonths(Median(steps));
        var gaps = new List<TimeGap>();
        var offGrid = new List<OffGridStep>();
        for (var i = 1; i < t.Length; i++)
        {
            var step = steps[i - 1];
            if (step % frequency.Months != 0)
                offGrid.Add(new OffGridStep(i, t[i - 1], t[i]));
            else if (step > frequency.Months)
                gaps.Add(new TimeGap(i, t[i - 1], t[i], (step / frequency.Months) - 1));
        }
        return new TimeIndexReport(frequency, gaps, offGrid);
    }

    private static TimeIndexReport AnalyzeDurations(ReadOnlySpan<DateTime> t)
    {
        var ticks = new long[t.Length - 1];
        for (var i = 1; i < t.Length; i++)
            ticks[i - 1] = (t[i] - t[i - 1]).Ticks;
        var step = Median(ticks);
        var gaps = new List<TimeGap>();
        var offGrid = new List<OffGridStep>();
        for (var i = 1; i < t.Length; i++)
        {
            var delta = ticks[i - 1];
            if (delta % step != 0)
                offGrid.Add(new OffGridStep(i, t[i - 1], t[i]));
            else if (delta > step)
                gaps.Add(new TimeGap(i, t[i - 1], t[i], (int)((delta / step) - 1)));
        }
        return new TimeIndexReport(SeriesFrequency.Every(TimeSpan.FromTicks(step)), gaps, offGrid);
    }

    // Lower median: always one of the observed steps, so the frequency is a step the data really takes.
    private static T Median<T>(T[] values)
    {
        var sorted = (T[])values.Clone();
        Array.Sort(sorted);
        return sorted[(sorted.Length - 1) / 2];
    }
}
