using Research.Data.TimeSeries;

namespace Research.Data.Tests.TimeSeries;

/// <summary>fill_missing on a daily file with two missing days: the safe default lists them, the fills insert them.</summary>
public sealed class MissingStepsTests : IDisposable
{
    private const string TwoMissingDays =
        "date,load\n2021-01-01,1\n2021-01-02,2\n2021-01-04,4\n2021-01-05,5\n2021-01-06,6\n2021-01-08,10\n";

    private readonly TempCsv files = new();

    public void Dispose() => files.Dispose();

    private TimeSeriesFrame Load(string text, FillMissing fill, string name = "daily.csv") =>
        TimeSeriesCsv.Load(files.Write(name, text), new TimeSeriesCsvOptions { TimeColumn = "date", FillMissing = fill });

    [Fact]
    public void The_default_is_an_error_that_lists_every_missing_step()
    {
        Assert.Equal(FillMissing.Error, new TimeSeriesCsvOptions().FillMissing);
        var e = Assert.Throws<DataException>(() => Load(TwoMissingDays, FillMissing.Error));
        Assert.Equal($"{files.PathOf("daily.csv")}:4: column 1 'date': 2 missing step(s) of 1 d in 2 gap(s): 2021-01-03 (before line 4), " +
            "2021-01-07 (before line 7); fill_missing: forward or linear fills them, none reads the rows as consecutive steps", e.Message);
    }

    [Fact]
    public void Linear_interpolates_the_missing_days()
    {
        var f = Load(TwoMissingDays, FillMissing.Linear);
        Assert.Equal(8, f.RowCount);
        Assert.Equal(new DateTime(2021, 1, 3), f.Timestamps[2]);
        Assert.Equal([1, 2, 3, 4, 5, 6, 8, 10], f.Values.ToArray());
        Assert.True(TimeIndexAnalysis.Analyze(f).IsRegular);
    }

    [Fact]
    public void Forward_carries_the_last_value()
    {
        var f = Load(TwoMissingDays, FillMissing.Forward);
        Assert.Equal([1, 2, 2, 4, 5, 6, 6, 10], f.Values.ToArray());
    }

    [Fact]
    public void None_reads_the_rows_as_they_are()
    {
        var f = Load(TwoMissingDays, FillMissing.None);
        Assert.Equal(6, f.RowCount);
        Assert.Equal(2, TimeIndexAnalysis.Analyze(f).Gaps.Count);
    }

    [Fact]
    public void Empty_cells_are_filled_too_but_not_at_the_ends()
    {
        const string Holes = "date,a,b\n2021-01-01,1,10\n2021-01-02,,20\n2021-01-03,3,\n2021-01-04,4,40\n";
        Assert.Equal([1, 10, 2, 20, 3, 30, 4, 40], Load(Holes, FillMissing.Linear).Values.ToArray());
        Assert.Equal([1, 10, 1, 20, 3, 20, 4, 40], Load(Holes, FillMissing.Forward).Values.ToArray());

        var e = Assert.Throws<DataException>(() => Load("date,a\n2021-01-01,\n2021-01-02,2\n", FillMissing.Forward, "lead.csv"));
        Assert.Equal($"{files.PathOf("lead.csv")}:2: column 2 'a': an empty cell with no value before it to fill it from", e.Message);
        e = Assert.Throws<DataException>(() => Load("date,a\n2021-01-01,1\n2021-01-02,\n", FillMissing.Linear, "tail.csv"));
        Assert.Equal($"{files.PathOf("tail.csv")}:3: column 2 'a': an empty cell with no value after it to interpolate to", e.Message);
    }

    [Fact]
    public void An_off_grid_step_cannot_be_filled()
    {
        var e = Assert.Throws<DataException>(() => Load("date,a\n2021-01-01 00:00,1\n2021-01-01 01:00,2\n2021-01-01 02:30,3\n2021-01-01 03:30,4\n", FillMissing.Linear));
        Assert.StartsWith($"{files.PathOf("daily.csv")}:4: column 1 'date': '2021-01-01 02:30:00' is not a whole number of 1 h steps after '2021-01-01 01:00:00' (line 3)", e.Message);
    }

    [Fact]
    public void Monthly_gaps_are_filled_in_calendar_months()
    {
        var f = Load("date,a\n1949-01,1\n1949-02,2\n1949-05,5\n", FillMissing.Linear);
        Assert.Equal([new DateTime(1949, 1, 1), new(1949, 2, 1), new(1949, 3, 1), new(1949, 4, 1), new(1949, 5, 1)], f.Timestamps.ToArray());
        Assert.Equal([1, 2, 3, 4, 5], f.Values.ToArray());
    }
}
