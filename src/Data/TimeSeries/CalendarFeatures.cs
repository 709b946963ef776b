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

public enum CalendarEncoding
{
    /// <summary>One 0/1 column per value: month=1..12, dayofweek=0..6 (Monday = 0, as pandas), hour=0..23, day=1..31, minute=0/15/30/45 (quarter-hours).</summary>
    OneHot,

    /// <summary>Two columns per field, sin and cos of 2*pi*value/period, so December sits next to January.</summary>
    Cyclic,
}

/// <summary>
/// Covariates computed from the timestamps alone, so they are known for future steps too. They are not scaled
/// (already in [-1, 1] or {0, 1}).
/// </summary>
public static class CalendarFeatures
{
    private static readonly (CalendarFields Field, string Name)[] Order =
    [
        (CalendarFields.Month, "month"), (CalendarFields.DayOfWeek, "dayofweek"), (CalendarFields.Hour, "hour"),
        (CalendarFields.DayOfMonth, "day"), (CalendarFields.Minute, "minute"),
    ];

    public static IReadOnlyList<string> ColumnNames(CalendarFields fields, CalendarEncoding encoding) =>
        [.. Selected(fields).SelectMany(f => encoding == CalendarEncoding.Cyclic
            ? [$"{f.Name}_sin", $"{f.Name}_cos"]
            : OneHotValues(f.Field).Select(v => $"{f.Name}={v}"))];

    /// <summary>A frame with the same timestamps as <paramref name="frame"/> and only calendar columns.</summary>
    public static TimeSeriesFrame Encode(TimeSeriesFrame frame, CalendarFields fields, CalendarEncoding encoding) =>
        Encode(frame.Timestamps, fields, encoding, frame.Source);

    public static TimeSeriesFrame Encode(ReadOnlySpan<DateTime> timestamps, CalendarFields fields, CalendarEncoding encoding, string source = "calendar")
    {
        var names = ColumnNames(fields, encoding);
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
                if (encoding == CalendarEncoding.Cyclic)
                {
                    var (value, period) = Phase(field, t);
                    var angle = 2 * Math.PI * value / period;
                    row[c++] = Math.Sin(angle);
                    row[c++] = Math.Cos(angle);
                }
                else
                {
                    var categories = OneHotValues(field);
                    var hit = Array.IndexOf(categories, OneHotValue(field, t));
                    if (hit >= 0)
                        row[c + hit] = 1;
                    c += categories.Length;
                }
            }
        }
        return TimeSeriesFrame.Wrap(source, timestamps.ToArray(), [.. names], values);
    }

    private static IEnumerable<(CalendarFields Field, string Name)> Selected(CalendarFields fields) =>
        Order.Where(o => fields.HasFlag(o.Field));

    private static int[] OneHotValues(CalendarFields field) => field switch
    {
        CalendarFields.Month => [.. Enumerable.Range(1, 12)],
        CalendarFields.DayOfWeek => [.. Enumerable.Range(0, 7)],
        CalendarFields.Hour => [.. Enumerable.Range(0, 24)],
        CalendarFields.DayOfMonth => [.. Enumerable.Range(1, 31)],
        CalendarFields.Minute => [0, 15, 30, 45],
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    // Minutes fall into quarter-hours (Informer's minute // 15 for 15-minute data).
    private static int OneHotValue(CalendarFields field, DateTime t) => field switch
    {
        CalendarFields.Month => t.Month,
        CalendarFields.DayOfWeek => MondayFirst(t),
        CalendarFields.Hour => t.Hour,
        CalendarFields.DayOfMonth => t.Day,
        CalendarFields.Minute => t.Minute / 15 * 15,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

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
