using Research.Data.TimeSeries;

namespace Research.Data.Tests.TimeSeries;

public sealed class TimeIndexAnalysisTests : IDisposable
{
    private readonly TempCsv files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Missing_hour_is_reported_with_its_position()
    {
        var path = files.Write("gap.csv",
            "time,a\n2020-01-01 00:00,1\n2020-01-01 01:00,2\n2020-01-01 02:00,3\n2020-01-01 04:00,5\n2020-01-01 05:00,6\n2020-01-01 06:00,7\n");
        var frame = TimeSeriesCsv.Load(path, new TimeSeriesCsvOptions { TimeColumn = "time", FillMissing = FillMissing.None });
        var report = TimeIndexAnalysis.Analyze(frame);

        Assert.Equal(SeriesFrequency.Hourly, report.Frequency);
        Assert.False(report.IsRegular);
        var gap = Assert.Single(report.Gaps);
        Assert.Equal(new TimeGap(3, new DateTime(2020, 1, 1, 2, 0, 0), new DateTime(2020, 1, 1, 4, 0, 0), 1), gap);
        Assert.Equal(1, report.MissingSteps);
        Assert.Empty(report.OffGridSteps);
        Assert.Equal("1 missing step(s) between 2020-01-01T02:00:00 (row 2) and 2020-01-01T04:00:00 (row 3)", gap.ToString());
        Assert.Equal(5, frame.RowCount - 1); // nothing was filled in
    }

    [Fact]
    public void Several_missing_quarter_hours_and_an_off_grid_step()
    {
        var t0 = new DateTime(2021, 3, 1);
        DateTime[] times = [t0, t0.AddMinutes(15), t0.AddMinutes(30), t0.AddMinutes(75), t0.AddMinutes(90), t0.AddMinutes(100), t0.AddMinutes(115)];
        var report = TimeIndexAnalysis.Analyze(times, "memory");
        Assert.Equal(SeriesFrequency.FifteenMinutes, report.Frequency);
        Assert.Equal(new TimeGap(3, t0.AddMinutes(30), t0.AddMinutes(75), 2), Assert.Single(report.Gaps));
        Assert.Equal(new OffGridStep(5, t0.AddMinutes(90), t0.AddMinutes(100)), Assert.Single(report.OffGridSteps));
    }

    [Fact]
    public void Calendar_months_with_a_missing_month()
    {
        DateTime[] times = [new(1949, 1, 1), new(1949, 2, 1), new(1949, 3, 1), new(1949, 5, 1), new(1949, 6, 1)];
        var report = TimeIndexAnalysis.Analyze(times, "memory");
        Assert.Equal(SeriesFrequency.Monthly, report.Frequency);
        Assert.Equal(new TimeGap(3, new DateTime(1949, 3, 1), new DateTime(1949, 5, 1), 1), Assert.Single(report.Gaps));
    }

    [Fact]
    public void Month_end_dates_are_monthly_not_irregular()
    {
        DateTime[] times = [new(2020, 1, 31), new(2020, 2, 29), new(2020, 3, 31), new(2020, 4, 30), new(2020, 6, 30)];
        var report = TimeIndexAnalysis.Analyze(times, "memory");
        Assert.Equal(SeriesFrequency.Monthly, report.Frequency);
        Assert.Equal(1, Assert.Single(report.Gaps).MissingSteps);
        Assert.Equal(new DateTime(2020, 2, 29), SeriesFrequency.Monthly.Advance(new DateTime(2020, 1, 31), 1));
        Assert.Equal(new DateTime(2020, 3, 31), SeriesFrequency.Monthly.Advance(new DateTime(2020, 1, 31), 2));
    }

    [Fact]
    public void Yearly_and_daily_steps()
    {
        DateTime[] years = [new(2000, 1, 1), new(2001, 1, 1), new(2002, 1, 1)];
        Assert.Equal(SeriesFrequency.EveryMonths(12), TimeIndexAnalysis.Analyze(years, "memory").Frequency);
        DateTime[] days = [new(2000, 1, 1), new(2000, 1, 2), new(2000, 1, 3), new(2000, 1, 5)];
        var report = TimeIndexAnalysis.Analyze(days, "memory");
        Assert.Equal(SeriesFrequency.Every(TimeSpan.FromDays(1)), report.Frequency);
        Assert.Equal("1 d", report.Frequency.ToString());
        Assert.Single(report.Gaps);
    }

    [Fact]
    public void One_timestamp_is_not_enough()
    {
        var e = Assert.Throws<DataException>(() => TimeIndexAnalysis.Analyze([new DateTime(2000, 1, 1)], "x.csv"));
        Assert.Equal("x.csv: cannot infer a frequency from 1 timestamp(s); need at least 2", e.Message);
    }

    [Fact]
    public void A_given_step_measures_gaps_instead_of_the_inferred_one()
    {
        // Every other day: inferred, a regular 2-day series; against a daily step, a gap after every row.
        DateTime[] times = [new(2021, 1, 1), new(2021, 1, 3), new(2021, 1, 5)];
        Assert.True(TimeIndexAnalysis.Analyze(times, "memory").IsRegular);
        var daily = TimeIndexAnalysis.Analyze(times, "memory", SeriesFrequency.Parse("1d"));
        Assert.Equal(2, daily.Gaps.Count);
        Assert.Equal(2, daily.MissingSteps);
        Assert.Single(TimeIndexAnalysis.Analyze([new(2021, 1, 1), new(2021, 1, 1, 12, 0, 0)], "memory", SeriesFrequency.Parse("1d")).OffGridSteps);
    }
}
