using Research.Data.TimeSeries;

namespace Research.Data.Tests.TimeSeries;

public sealed class CalendarFeaturesTests
{
    // 2016-07-01 was a Friday.
    private static readonly DateTime[] Times = [new(2016, 7, 1, 0, 0, 0), new(2016, 12, 31, 23, 45, 0)];

    [Fact]
    public void One_hot_month_weekday_hour_day_minute()
    {
        var all = CalendarFields.Month | CalendarFields.DayOfWeek | CalendarFields.Hour | CalendarFields.DayOfMonth | CalendarFields.Minute;
        var f = CalendarFeatures.Encode(Times, all, CalendarEncoding.OneHot);
        Assert.Equal(12 + 7 + 24 + 31 + 4, f.ColumnCount);
        Assert.Equal("month=1", f.ColumnNames[0]);
        Assert.Equal("minute=45", f.ColumnNames[^1]);
        string[] hot0 = ["month=7", "dayofweek=4", "hour=0", "day=1", "minute=0"];
        string[] hot1 = ["month=12", "dayofweek=5", "hour=23", "day=31", "minute=45"];
        Assert.Equal(hot0, f.ColumnNames.Where((_, c) => f[0, c] == 1));
        Assert.Equal(hot1, f.ColumnNames.Where((_, c) => f[1, c] == 1));
        Assert.Equal(10, f.Values.ToArray().Sum()); // five hot columns in each of the two rows
    }

    [Fact]
    public void Cyclic_encoding_puts_december_next_to_january()
    {
        var f = CalendarFeatures.Encode([new DateTime(2020, 1, 1), new DateTime(2020, 12, 1), new DateTime(2020, 7, 1)], CalendarFields.Month, CalendarEncoding.Cyclic);
        Assert.Equal(["month_sin", "month_cos"], f.ColumnNames);
        Assert.Equal(0, f[0, 0], 12);
        Assert.Equal(1, f[0, 1], 12);
        Assert.Equal(Math.Sin(2 * Math.PI * 11 / 12), f[1, 0], 12);
        Assert.Equal(-1, f[2, 1], 12);
    }

    [Fact]
    public void Airline_month_one_hot_as_in_the_darts_example()
    {
        var airline = EttData.Airline();
        var months = CalendarFeatures.Encode(airline, CalendarFields.Month, CalendarEncoding.OneHot);
        var both = airline.AppendColumns(months);
        Assert.Equal(13, both.ColumnCount);
        Assert.Equal(1, both[13, 2]); // February 1950
        Assert.Equal(118, both[1, 0]);
    }
}
