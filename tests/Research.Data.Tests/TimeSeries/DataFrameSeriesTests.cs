using Microsoft.Data.Analysis;
using Research.Data.TimeSeries;

namespace Research.Data.Tests.TimeSeries;

/// <summary>A DataFrame becomes a series with the options a file takes (Darts' TimeSeries.from_dataframe).</summary>
public sealed class DataFrameSeriesTests
{
    private static readonly DateTime[] Days = [new(2021, 1, 1), new(2021, 1, 2), new(2021, 1, 4)];

    [Fact]
    public void DateTime_and_numeric_columns_of_any_type_become_a_series()
    {
        var frame = new DataFrame(
            new PrimitiveDataFrameColumn<DateTime>("day", Days),
            new Int32DataFrameColumn("count", [1, 2, 4]),
            new SingleDataFrameColumn("level", [0.5f, 1.5f, 3.5f]));
        var series = DataFrameSeries.ToSeries(frame, new TimeSeriesCsvOptions { TimeColumn = "day", FillMissing = FillMissing.Linear }, "sales");
        Assert.Equal("sales", series.Source);
        Assert.Equal(["count", "level"], series.ColumnNames);
        Assert.Equal(4, series.RowCount); // the missing 3 January was inserted
        Assert.Equal([1, 0.5, 2, 1.5, 3, 2.5, 4, 3.5], series.Values.ToArray());

        var e = Assert.Throws<DataException>(() => DataFrameSeries.ToSeries(frame, new TimeSeriesCsvOptions { TimeColumn = "day" }, "sales"));
        Assert.StartsWith("sales row 2: column 'day': 1 missing step(s) of 1 d in 1 gap(s): 2021-01-03 (before row 2)", e.Message);
    }

    [Fact]
    public void Text_times_read_with_the_formats_and_no_time_column_counts_rows()
    {
        var frame = new DataFrame(new StringDataFrameColumn("month", ["1-01", "1-02", "1-03"]), new DoubleDataFrameColumn("y", [1.0, 2, 3]));
        var series = DataFrameSeries.ToSeries(frame, new TimeSeriesCsvOptions { TimeColumn = "month", TimeFormats = ["y-MM"], TwoDigitYearStart = 2000 });
        Assert.Equal(new DateTime(2001, 3, 1), series.Timestamps[2]);

        var byRow = DataFrameSeries.ToSeries(frame, new TimeSeriesCsvOptions { ValueColumns = ["y"], Frequency = SeriesFrequency.Hourly });
        Assert.Equal(new DateTime(2000, 1, 1, 2, 0, 0), byRow.Timestamps[2]);
    }

    [Fact]
    public void Bad_cells_and_names_are_reported_by_row_and_column()
    {
        var frame = new DataFrame(new PrimitiveDataFrameColumn<DateTime>("day", Days), new DoubleDataFrameColumn("y", [1.0, null, 3]));
        var e = Assert.Throws<DataException>(() => DataFrameSeries.ToSeries(frame, new TimeSeriesCsvOptions { TimeColumn = "day", FillMissing = FillMissing.None }));
        Assert.Equal("DataFrame: row 1: column 'y': empty (null) cell", e.Message);
        e = Assert.Throws<DataException>(() => DataFrameSeries.ToSeries(frame, new TimeSeriesCsvOptions { TimeColumn = "dat" }));
        Assert.Equal("DataFrame: unknown column 'dat'; did you mean 'day'? (available: day, y)", e.Message);
    }

    [Fact]
    public void A_series_goes_back_to_a_DataFrame()
    {
        var series = new TimeSeriesFrame("s", Days, ["a", "b"], [1, 2, 3, 4, 5, 6]);
        var frame = DataFrameSeries.ToDataFrame(series, "when");
        Assert.Equal(["when", "a", "b"], frame.Columns.Select(c => c.Name));
        Assert.Equal(3L, frame.Rows.Count);
        Assert.Equal(Days[2], frame.Columns["when"][2]);
        Assert.Equal(6.0, frame.Columns["b"][2]);
    }
}
