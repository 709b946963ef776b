using Research.Data.TimeSeries;

namespace Research.Data.Tests.TimeSeries;

public sealed class CalendarFeaturesTests
{
    [Fact]
    public void Cyclic_encoding_puts_december_next_to_january()
    {
        var f = CalendarFeatures.Encode([new DateTime(2020, 1, 1), new DateTime(2020, 12, 1), new DateTime(2020, 7, 1)], CalendarFields.Month);
        Assert.Equal(["month_sin", "month_cos"], f.ColumnNames);
        Assert.Equal(0, f[0, 0], 12);
        Assert.Equal(1, f[0, 1], 12);
        Assert.Equal(Math.Sin(2 * Math.PI * 11 / 12), f[1, 0], 12);
        Assert.Equal(-1, f[2, 1], 12);
    }

    [Fact]
    public void Airline_month_columns_append_to_the_series()
    {
        var airline = EttData.Airline();
        var both = airline.AppendColumns(CalendarFeatures.Encode(airline, CalendarFields.Month));
        Assert.Equal(3, both.ColumnCount);
        Assert.Equal(118, both[1, 0]);      // February 1950's passengers
        Assert.Equal(0.5, both[1, 1], 12);  // sin(2π·1/12): February is month index 1
    }
}
