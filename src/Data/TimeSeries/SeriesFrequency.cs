using System.Globalization;

namespace Research.Data.TimeSeries;

/// <summary>
/// The step of a regular time index: either a fixed duration (hourly, 15-minute) or a number of calendar months
/// (monthly data has 28 to 31 days between points, so a duration cannot describe it).
/// </summary>
public readonly record struct SeriesFrequency
{
    private SeriesFrequency(TimeSpan duration, int months)
    {
        Duration = duration;
        Months = months;
    }

    public static SeriesFrequency Every(TimeSpan duration) =>
        duration > TimeSpan.Zero ? new(duration, 0) : throw new ArgumentOutOfRangeException(nameof(duration), duration, "must be positive");

    public static SeriesFrequency EveryMonths(int months) =>
        months > 0 ? new(TimeSpan.Zero, months) : throw new ArgumentOutOfRangeException(nameof(months), months, "must be positive");

    public static SeriesFrequency Hourly => Every(TimeSpan.FromHours(1));

    public static SeriesFrequency FifteenMinutes => Every(TimeSpan.FromMinutes(15));

    public static SeriesFrequency Monthly => EveryMonths(1);

    /// <summary>Zero for calendar frequencies.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Zero for fixed-duration frequencies.</summary>
    public int Months { get; }

    public bool IsCalendarMonths => Months > 0;

    /// <summary><paramref name="time"/> moved by <paramref name="steps"/> steps.</summary>
    public DateTime Advance(DateTime time, int steps) =>
        IsCalendarMonths ? AddMonthsKeepingMonthEnd(time, Months * steps) : time + (Duration * steps);

    /// <summary>Month steps from an end-of-month date stay at the end of the month (Jan 31 + 1 month = Feb 28/29, + 2 = Mar 31).</summary>
    internal static DateTime AddMonthsKeepingMonthEnd(DateTime time, int months)
    {
        var moved = time.AddMonths(months);
        return IsMonthEnd(time) ? moved.Date.AddDays(DateTime.DaysInMonth(moved.Year, moved.Month) - moved.Day) + time.TimeOfDay : moved;
    }

    internal static bool IsMonthEnd(DateTime time) => time.Day == DateTime.DaysInMonth(time.Year, time.Month);

    public override string ToString()
    {
        if (IsCalendarMonths)
            return Months == 1 ? "1 month" : Months % 12 == 0 ? $"{Months / 12} year(s)" : $"{Months} months";
        var d = Duration;
        return d.Days > 0 && d == TimeSpan.FromDays(d.Days) ? $"{d.Days} d"
            : d.Hours > 0 && d == TimeSpan.FromHours(Math.Floor(d.TotalHours)) ? $"{(long)d.TotalHours} h"
            : d == TimeSpan.FromMinutes(Math.Floor(d.TotalMinutes)) ? $"{(long)d.TotalMinutes} min"
            : d.ToString("c", CultureInfo.InvariantCulture);
    }
}
