namespace Research.Data.TimeSeries;

[Flags]
public enum CalendarFields
{
    None = 0,
    Month = 1,
    DayOfWeek = 2,
    Hour = 4,
    DayOfMonth = 8,
    Minute = 16,
}

/// <summary>
/// Covariates computed from the timestamps alone, so they are known for future steps too: two columns per field, sin
/// and cos of 2π·value/period, so December sits next to January. They are not scaled (already in [-1, 1]).
/// </summary>
public static class CalendarFeatures
{
    private static readonly (CalendarFields Field, string Name)[] Order =
    [
        (CalendarFields.Month, "month"), (CalendarFields.DayOfWeek, "dayofweek"), (CalendarFields.Hour, "hour"),
        (CalendarFields.DayOfMonth, "day"), (CalendarFields.Minute, "minute"),
    ];

    public static IReadOnlyList<string> ColumnNames(CalendarFields fields) =>
        [.. Selected(fields).SelectMany(f => new[] { $"{f.Name}_sin", $"{f.Name}_cos" })];

    /// <summary>A frame with the same timestamps as <paramref name="frame"/> and only calendar columns.</summary>
    public static TimeSeriesFrame Encode(TimeSeriesFrame frame, CalendarFields fields) =>
        Encode(frame.Timestamps, fields, frame.Source);

    public static TimeSeriesFrame Encode(ReadOnlySpan<DateTime> timestamps, CalendarFields fields, string source = "calendar")
    {
        var names = ColumnNames(fields);
        if (names.Count == 0)
            throw new ArgumentException("no calendar fields selected.", nameof(fields));
        var selected = Selected(fields).ToArray();
        var values = new double[timestamps.Length * names.Count];
        for (var r = 0; r < timestamps.Length; r++)
        {
            var t = timestamps[r];
            var row = values.AsSpan(r * names.Count, names.Count);
            var c = 0;
            foreach (var (field, _) in selected)
            {
                var (value, period) = Phase(field, t);
                var angle = 2 * Math.PI * value / period;
                row[c++] = Math.Sin(angle);
                row[c++] = Math.Cos(angle);
            }
        }
        return TimeSeriesFrame.Wrap(source, timestamps.ToArray(), [.. names], values);
    }

    private static IEnumerable<(CalendarFields Field, string Name)> Selected(CalendarFields fields) =>
        Order.Where(o => fields.HasFlag(o.Field));

    private static (double Value, double Period) Phase(CalendarFields field, DateTime t) => field switch
    {
        CalendarFields.Month => (t.Month - 1, 12),
        CalendarFields.DayOfWeek => (MondayFirst(t), 7),
        CalendarFields.Hour => (t.Hour, 24),
        CalendarFields.DayOfMonth => (t.Day - 1, DateTime.DaysInMonth(t.Year, t.Month)),
        CalendarFields.Minute => (t.Minute, 60),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private static int MondayFirst(DateTime t) => ((int)t.DayOfWeek + 6) % 7;
}
