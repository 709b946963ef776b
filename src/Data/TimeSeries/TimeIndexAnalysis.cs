namespace Research.Data.TimeSeries;

/// <summary>
/// Infers the frequency of a time index (or takes it as given) and reports its gaps and off-grid steps. It never
/// fills them: <see cref="MissingSteps"/> does that, as a configured choice.
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
        CheckIncreasing(timestamps, source);
        return Analyze(timestamps, source, InferFrequency(timestamps));
    }

    /// <summary>Gaps and off-grid steps against a known step (data.frequency), instead of an inferred one.</summary>
    public static TimeIndexReport Analyze(ReadOnlySpan<DateTime> timestamps, string source, SeriesFrequency frequency)
    {
        CheckIncreasing(timestamps, source);
        var gaps = new List<TimeGap>();
        var offGrid = new List<OffGridStep>();
        for (var i = 1; i < timestamps.Length; i++)
        {
            var steps = StepsBetween(timestamps[i - 1], timestamps[i], frequency);
            if (steps is null)
                offGrid.Add(new OffGridStep(i, timestamps[i - 1], timestamps[i]));
            else if (steps > 1)
                gaps.Add(new TimeGap(i, timestamps[i - 1], timestamps[i], steps.Value - 1));
        }
        return new TimeIndexReport(frequency, gaps, offGrid);
    }

    private static void CheckIncreasing(ReadOnlySpan<DateTime> timestamps, string source)
    {
        if (timestamps.Length < 2)
            throw DataException.In(source, $"cannot infer a frequency from {timestamps.Length} timestamp(s); need at least 2");
        for (var i = 1; i < timestamps.Length; i++)
        {
            if (timestamps[i] <= timestamps[i - 1])
                throw DataException.In(source, $"row {i}: timestamps are not strictly increasing");
        }
    }

    private static SeriesFrequency InferFrequency(ReadOnlySpan<DateTime> t)
    {
        var months = new int[t.Length - 1];
        var ticks = new long[t.Length - 1];
        var monthly = true;
        for (var i = 1; i < t.Length; i++)
        {
            ticks[i - 1] = (t[i] - t[i - 1]).Ticks;
            if (monthly && MonthAligned(t[i - 1], t[i]))
                months[i - 1] = MonthsBetween(t[i - 1], t[i]);
            else
                monthly = false;
        }
        return monthly ? SeriesFrequency.EveryMonths(Median(months)) : SeriesFrequency.Every(TimeSpan.FromTicks(Median(ticks)));
    }

    /// <summary>Whole steps from <paramref name="a"/> to <paramref name="b"/>, or null when b is off the grid.</summary>
    private static int? StepsBetween(DateTime a, DateTime b, SeriesFrequency frequency)
    {
        if (frequency.IsCalendarMonths)
        {
            var months = MonthsBetween(a, b);
            return MonthAligned(a, b) && months % frequency.Months == 0 ? months / frequency.Months : null;
        }
        var delta = (b - a).Ticks;
        return delta % frequency.Duration.Ticks == 0 ? (int)(delta / frequency.Duration.Ticks) : null;
    }

    private static bool MonthAligned(DateTime a, DateTime b) =>
        a.TimeOfDay == b.TimeOfDay && (a.Day == b.Day || (SeriesFrequency.IsMonthEnd(a) && SeriesFrequency.IsMonthEnd(b)));

    private static int MonthsBetween(DateTime a, DateTime b) => ((b.Year - a.Year) * 12) + b.Month - a.Month;

    // Lower median: always one of the observed steps, so the frequency is a step the data really takes.
    private static T Median<T>(T[] values)
    {
        var sorted = (T[])values.Clone();
        Array.Sort(sorted);
        return sorted[(sorted.Length - 1) / 2];
    }
}
