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

    /// <summary>
    /// A step as configs write it: an optional count and a unit, e.g. <c>1d</c>, <c>15min</c>, <c>h</c>, <c>2w</c>,
    /// <c>1month</c>, <c>q</c>, <c>1y</c>; pandas' aliases D, H, T, S, W, M, MS, ME, Q, QS, Y, YS and A also work.
    /// </summary>
    /// <exception cref="FormatException">Not a count and a known unit.</exception>
    public static SeriesFrequency Parse(string text)
    {
        var trimmed = text.Trim();
        var digits = 0;
        while (digits < trimmed.Length && char.IsAsciiDigit(trimmed[digits]))
            digits++;
        var unit = trimmed[digits..].Trim();
        var count = digits == 0 ? 1 : int.TryParse(trimmed.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var frequency = count <= 0 ? (SeriesFrequency?)null : unit switch
        {
            "s" or "S" or "sec" or "second" or "seconds" => Every(TimeSpan.FromSeconds(count)),
            "min" or "T" or "minute" or "minutes" => Every(TimeSpan.FromMinutes(count)),
            "h" or "H" or "hour" or "hours" => Every(TimeSpan.FromHours(count)),
            "d" or "D" or "day" or "days" => Every(TimeSpan.FromDays(count)),
            "w" or "W" or "week" or "weeks" => Every(TimeSpan.FromDays(7 * count)),
            "M" or "MS" or "ME" or "mo" or "month" or "months" => EveryMonths(count),
            "q" or "Q" or "QS" or "QE" or "quarter" or "quarters" => EveryMonths(3 * count),
            "y" or "Y" or "YS" or "YE" or "A" or "year" or "years" => EveryMonths(12 * count),
            _ => null,
        };
        return frequency ?? throw new FormatException(
            $"cannot read '{text}' as a step: write a count and a unit, e.g. 1d, 15min, 1h, 1w, 1month, 1q, 1y");
    }

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
